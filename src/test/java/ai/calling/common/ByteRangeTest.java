package ai.calling.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ByteRangeTest {

    @Test
    void oneRangeIsCutToTheRepresentation() {
        assertThat(ByteRange.parse("bytes=100-199", 1000)).contains(new ByteRange(100, 199));
        assertThat(ByteRange.parse("bytes=100-199", 1000).orElseThrow().length()).isEqualTo(100);
        assertThat(ByteRange.parse("bytes=900-", 1000)).contains(new ByteRange(900, 999));
        assertThat(ByteRange.parse("bytes=900-5000", 1000)).contains(new ByteRange(900, 999));
        assertThat(ByteRange.parse("bytes=-10", 1000)).contains(new ByteRange(990, 999));
        assertThat(ByteRange.parse("bytes=-5000", 1000)).contains(new ByteRange(0, 999));
        assertThat(ByteRange.parse("BYTES = 0 - 0", 1000)).contains(new ByteRange(0, 0));
        assertThat(new ByteRange(100, 199).contentRange(1000)).isEqualTo("bytes 100-199/1000");
    }

    @Test
    void anythingButOneByteRangeIsIgnored() {
        for (String ignored : new String[] { null, "", "bytes=", "bytes=-", "bytes=5-1", "items=0-1", "bytes=0-1,5-6",
                "bytes=a-b", "bytes=99999999999999999999-" }) {
            assertThat(ByteRange.parse(ignored, 1000)).as(ignored).isEmpty();
        }
    }

    @Test
    void aRangeBeyondTheEndIsUnsatisfiable() {
        assertThatThrownBy(() -> ByteRange.parse("bytes=1000-", 1000)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=5000-6000", 1000)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=-0", 1000)).isInstanceOf(ByteRange.Unsatisfiable.class);
    }
}
