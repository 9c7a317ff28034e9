package ai.calling.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Which cells of a CSV download get a leading apostrophe (the rule SpreadsheetCsv states). */
@Tag("unit")
class SpreadsheetCsvTest {

    @Test
    void cellsThatASpreadsheetWouldRunAsFormulasAreWrittenAsText() {
        assertThat(SpreadsheetCsv.cell("=HYPERLINK(\"http://evil.example\",\"click\")"))
                .isEqualTo("'=HYPERLINK(\"http://evil.example\",\"click\")");
        assertThat(SpreadsheetCsv.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(SpreadsheetCsv.cell("+cmd|' /C calc'!A0")).isEqualTo("'+cmd|' /C calc'!A0");
        assertThat(SpreadsheetCsv.cell("-2+3")).isEqualTo("'-2+3");
        assertThat(SpreadsheetCsv.cell("\t=1")).isEqualTo("'\t=1");
        assertThat(SpreadsheetCsv.cell("\r=1")).isEqualTo("'\r=1");
        assertThat(SpreadsheetCsv.cell("+1 415 555 0100")).isEqualTo("'+1 415 555 0100");
    }

    @Test
    void numbersPhoneNumbersAndOrdinaryTextStayAsTheyAre() {
        assertThat(SpreadsheetCsv.cell(-5)).isEqualTo("-5");
        assertThat(SpreadsheetCsv.cell("-12.50")).isEqualTo("-12.50");
        assertThat(SpreadsheetCsv.cell("+3")).isEqualTo("+3");
        assertThat(SpreadsheetCsv.cell("1e5")).isEqualTo("1e5");
        assertThat(SpreadsheetCsv.cell("+14155550100")).isEqualTo("+14155550100");
        assertThat(SpreadsheetCsv.cell("Asha = Rao")).isEqualTo("Asha = Rao");
        assertThat(SpreadsheetCsv.cell("")).isEqualTo("");
        assertThat(SpreadsheetCsv.cell(null)).isNull();
        assertThat(SpreadsheetCsv.cell(true)).isEqualTo("true");
    }
}
