package ai.calling.contact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import ai.calling.common.ApiException;
import ai.calling.contact.ContactCsv.Parsed;
import ai.calling.contact.ContactDtos.InvalidRow;

/** CSV row validation of the contact format, shared by contact and campaign uploads: no Spring, no database. */
@Tag("unit")
class ContactCsvTest {

    @Test
    void headersMatchByAliasInAnyCaseAndTheFirstRowOfANumberWins() {
        Parsed parsed = read("""
                Full Name,MOBILE,Email Address,Organisation,Remarks
                Ada,(415) 555-0101,ADA@Example.com,Analytical,first
                Ada twice,+1 415 555 0101,,,
                Grace,+14155550102,,,
                """);

        assertThat(parsed.totalRows()).isEqualTo(3);
        assertThat(parsed.duplicatesInFile()).isOne();
        assertThat(parsed.rows()).extracting(ContactCsv.Row::phoneNumber).containsExactly("+14155550101", "+14155550102");
        ContactCsv.Row ada = parsed.rows().getFirst();
        assertThat(ada).isEqualTo(new ContactCsv.Row(2, "+14155550101", "Ada", "ada@example.com", "Analytical", "first"));
    }

    @Test
    void semicolonFilesAndAByteOrderMarkAreRead() {
        Parsed parsed = read("\uFEFFphone;name\n+14155550103;Łukasz\n");

        assertThat(parsed.rows()).singleElement().satisfies(row -> assertThat(row.name()).isEqualTo("Łukasz"));
    }

    @Test
    void eachBadRowIsReportedByItsSpreadsheetRowAndNeverStopsTheGoodOnes() {
        Parsed parsed = read("phone,name,email,notes\n"
                + ",No number,,\n"
                + "12,Short,,\n"
                + "+14155550104,Bad mail,nope,\n"
                + "+14155550105," + "x".repeat(ContactDtos.MAX_TEXT + 1) + ",,\n"
                + "+14155550106,Nul\0name,,\n"
                + "+14155550107,Good,,\n");

        assertThat(parsed.invalid()).extracting(InvalidRow::row).containsExactly(2, 3, 4, 5, 6);
        assertThat(parsed.invalid()).extracting(InvalidRow::reason).containsExactly("phone number is missing",
                "phone number '12' is not valid", "e-mail 'nope' is not valid",
                "name is longer than " + ContactDtos.MAX_TEXT + " characters", "a cell contains the NUL character");
        assertThat(parsed.rows()).extracting(ContactCsv.Row::row).containsExactly(7);
    }

    @Test
    void blankRowsAreNotCounted() {
        assertThat(read("phone\n\n,\n+14155550108\n").totalRows()).isOne();
    }

    /** An e-mail is measured as it is stored, in lower case, which can be longer: the row is refused, not the file. */
    @Test
    void anEmailLongerOnceInLowerCaseIsAnInvalidRow() {
        String email = "x@" + "\u0130".repeat(250) + ".co";
        assertThat(email).hasSize(255);

        Parsed parsed = read("phone,email\n+14155550111," + email + "\n+14155550112,ok@example.com\n");

        assertThat(parsed.invalid()).extracting(InvalidRow::row).containsExactly(2);
        assertThat(parsed.rows()).extracting(ContactCsv.Row::row).containsExactly(3);
    }

    /** Rows are numbered as a spreadsheet shows them: blank rows, empty or of commas only, keep their numbers. */
    @Test
    void rowsAfterBlankRowsKeepTheirSpreadsheetNumbers() {
        Parsed parsed = read("phone,name\n,\n\n\"+14155550109\",\"two\nlines\"\nnot-a-number,x\n+14155550110,y\n");

        assertThat(parsed.rows()).extracting(ContactCsv.Row::row).containsExactly(4, 6);
        assertThat(parsed.invalid()).extracting(InvalidRow::row).containsExactly(5);
    }

    @Test
    void aFileWithoutAPhoneColumnOrNotInUtf8OrTooLongIsRefusedWhole() {
        assertThatThrownBy(() -> read("name,email\nAda,a@b.co\n")).isInstanceOf(ApiException.class)
                .hasMessageContaining("no phone number column");
        byte[] latin1 = "phone,name\n+14155550109,Jos\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> ContactCsv.read(new ByteArrayInputStream(latin1), "US", 10, "contacts"))
                .isInstanceOf(ApiException.class).hasMessageContaining("not UTF-8");
        assertThatThrownBy(() -> ContactCsv.read(bytes("phone\n+14155550110\n+14155550111\n"), "US", 1, "recipients"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(413);
                    assertThat(e.getMessage()).contains("more than 1 recipients");
                });
        assertThatThrownBy(() -> read("")).isInstanceOf(ApiException.class).hasMessageContaining("empty");
    }

    private static Parsed read(String csv) {
        return ContactCsv.read(bytes(csv), "US", 100, "contacts");
    }

    private static ByteArrayInputStream bytes(String csv) {
        return new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8));
    }
}
