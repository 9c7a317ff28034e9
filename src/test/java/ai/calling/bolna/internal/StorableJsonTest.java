package ai.calling.bolna.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What jsonb refuses is taken out, nothing else changes. No Spring. */
@Tag("unit")
class StorableJsonTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void onlyBodiesWithAnUnstorableEscapeNeedCleaning() {
        assertThat(StorableJson.needsCleaning("{\"a\":\"plain\"}")).isFalse();
        assertThat(StorableJson.needsCleaning("{\"a\":\"caf\\u00e9 \\u0939\\u093f\"}")).isFalse();
        assertThat(StorableJson.needsCleaning("{\"a\":\"x\\u0000\"}")).isTrue();
        assertThat(StorableJson.needsCleaning("{\"a\":\"x\\ud800\"}")).isTrue();
        assertThat(StorableJson.needsCleaning("{\"a\":\"\\uD83D\\uDE00\"}")).isTrue();
    }

    @Test
    void nulIsDroppedAndLoneSurrogatesReplacedInValuesAndKeysAtAnyDepth() {
        JsonNode dirty = JSON.readTree("{\"k\\u0000\":[\"a\\u0000b\",{\"x\":\"\\ud800y\"}],\"n\":1e400,"
                + "\"ok\":\"\\uD83D\\uDE00\"}");

        JsonNode clean = StorableJson.clean(dirty);

        assertThat(clean.path("k").path(0).asString()).isEqualTo("ab");
        assertThat(clean.path("k").path(1).path("x").asString()).isEqualTo("\uFFFDy");
        assertThat(clean.path("ok").asString()).isEqualTo("\uD83D\uDE00");
        assertThat(clean.path("n")).isEqualTo(dirty.path("n"));
    }

    @Test
    void textWithoutAnythingToCleanIsReturnedAsItIs() {
        String text = "assistant: hello \uD83D\uDE00";
        assertThat(StorableJson.text(text)).isSameAs(text);
        assertThat(StorableJson.text("\uDE00\uD83D")).isEqualTo("\uFFFD\uFFFD");
    }
}
