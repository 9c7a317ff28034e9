package ai.calling.lead.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

/** The model's output read into an analysis, without Spring. */
class AnalysisResultTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** PostgreSQL stores no NUL, in text or JSONB: one in the model's output failed the analysis's whole write. */
    @Test
    void nulCharactersAnywhereInTheModelsOutputAreRemoved() {
        String output = """
                {"intent_level":"high","intent_score":80,"urgency_level":"medium","urgency_score":60,
                 "budget_constraint":"flexible","budget_score":70,"fit_alignment":"strong","fit_score":85,
                 "engagement_health":"good","engagement_score":75,"total_score":77,"lead_status_tag":"HOT",
                 "reasoning":{"intent":"asked\\u0000 for prices","notes":["a\\u0000b", {"deep":"c\\u0000"}]},
                 "extraction":{"name":"Asha\\u0000 Rao","email":"asha@example.com","company_name":"\\u0000Rao Foods",
                               "smart_notification":"call\\u0000 back"}}""";

        AnalysisResult result = AnalysisResult.parse(output, JSON);

        assertThat(result.name()).isEqualTo("Asha Rao");
        assertThat(result.companyName()).isEqualTo("Rao Foods");
        assertThat(result.smartNotification()).isEqualTo("call back");
        assertThat(JSON.writeValueAsString(result.reasoning())).doesNotContain("\\u0000")
                .contains("asked for prices", "\"ab\"", "\"c\"");
    }
}
