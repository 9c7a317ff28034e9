package ai.calling.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import ai.calling.bolna.AgentPatch;
import ai.calling.bolna.AgentSpec;
import ai.calling.bolna.BolnaAgentSettings;
import ai.calling.bolna.BolnaClient;
import ai.calling.bolna.BolnaDelivery;
import ai.calling.bolna.BolnaExecution;
import ai.calling.bolna.BolnaStatus;
import ai.calling.bolna.CallRequest;

/**
 * Bolna's JSON is read and written in the bolna module only: other modules see typed records. Two
 * checks: no source outside the module picks one of Bolna's wire keys out of a JSON tree, and the
 * module's public types expose no Jackson type, so no tree of Bolna's crosses the boundary.
 */
@Tag("unit")
class BolnaWireFormatTest {

    /** Keys only Bolna's payloads use (the agent, the call request, the execution and its telephony data); agent_id is also our column. */
    static final List<String> BOLNA_KEYS = List.of("execution_id", "telephony_data", "conversation_duration",
            "conversation_time", "recording_url", "hangup_reason", "hangup_by", "hangup_provider_code",
            "answered_by_voice_mail", "agent_config", "agent_prompts", "agent_welcome_message", "context_details",
            "recipient_data", "recipient_phone_number", "from_phone_number", "call_terminate", "llm_agent",
            "toolchain", "task_config", "to_number", "from_number", "user_data");

    static final Pattern PICK = Pattern.compile(
            "\\.(path|get|has|put|set|remove|findValue|withObject|withArray|putObject|putArray)\\(\"("
                    + String.join("|", BOLNA_KEYS) + ")\"");

    @Test
    void noSourceOutsideTheBolnaModulePicksBolnasKeysOutOfJson() throws IOException {
        Path sources = Path.of("src/main/java/ai/calling");
        List<String> picks = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                if (sources.relativize(file).startsWith("bolna")) {
                    continue;
                }
                Matcher pick = PICK.matcher(Files.readString(file));
                while (pick.find()) {
                    picks.add(sources.relativize(file) + ": " + pick.group());
                }
            }
        }
        assertThat(picks).isEmpty();
    }

    /** The check above finds a pick where there is one: the bolna module's own sources have many. */
    @Test
    void theKeyScanRecognisesAPick() throws IOException {
        String execution = Files.readString(Path.of("src/main/java/ai/calling/bolna/BolnaExecution.java"));
        assertThat(PICK.matcher(execution).find()).isTrue();
    }

    @Test
    void theModulesPublicTypesExposeNoJacksonType() {
        List<Class<?>> api = List.of(AgentPatch.class, AgentSpec.class, BolnaAgentSettings.class, BolnaClient.class,
                BolnaDelivery.class, BolnaExecution.class, BolnaStatus.class, CallRequest.class);
        TreeSet<String> exposed = new TreeSet<>();
        for (Class<?> type : api) {
            for (Class<?> member : withNested(type)) {
                if (!Modifier.isPublic(member.getModifiers())) {
                    continue;
                }
                for (Method method : member.getDeclaredMethods()) {
                    if (!Modifier.isPublic(method.getModifiers())) {
                        continue;
                    }
                    List<Type> types = new ArrayList<>(Arrays.asList(method.getGenericParameterTypes()));
                    types.add(method.getGenericReturnType());
                    types.stream().filter(BolnaWireFormatTest::jackson)
                            .forEach(t -> exposed.add(member.getSimpleName() + "." + method.getName() + ": " + t.getTypeName()));
                }
                for (Field field : member.getDeclaredFields()) {
                    if (Modifier.isPublic(field.getModifiers()) && jackson(field.getGenericType())) {
                        exposed.add(member.getSimpleName() + "." + field.getName());
                    }
                }
            }
        }
        assertThat(exposed).isEmpty();
    }

    private static List<Class<?>> withNested(Class<?> type) {
        List<Class<?>> all = new ArrayList<>(List.of(type));
        for (Class<?> nested : type.getDeclaredClasses()) {
            all.addAll(withNested(nested));
        }
        return all;
    }

    private static boolean jackson(Type type) {
        String name = type.getTypeName();
        return name.contains("tools.jackson.") || name.contains("com.fasterxml.jackson.");
    }
}
