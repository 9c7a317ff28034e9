package ai.calling.integration.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The pure rules of outbound webhooks: Standard Webhooks signatures, the SSRF guard, the back-off. */
@Tag("unit")
class OutboundWebhookRulesTest {

    @Test
    void theSignatureMatchesTheStandardWebhooksPublishedTestVector() {
        assertThat(WebhookSigner.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330L, "{\"test\": 2432232314}")).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void duringARotationBothSecretsSign() {
        String header = WebhookSigner.header(List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", WebhookSigner.newSecret()),
                "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, "{\"test\": 2432232314}");
        String[] signatures = header.split(" ");
        assertThat(signatures).hasSize(2).allSatisfy(signature -> assertThat(signature).startsWith("v1,"));
        assertThat(signatures[0]).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assertThat(WebhookSigner.newSecret()).startsWith("whsec_").hasSize(6 + 44);
    }

    @Test
    void loopbackPrivateLinkLocalUniqueLocalAndMetadataAddressesAreRefused() throws Exception {
        AddressGuard guard = new AddressGuard(List.of());
        for (String address : List.of("169.254.169.254", "10.0.0.5", "172.16.3.4", "192.168.1.1", "127.0.0.1",
                "127.8.8.8", "0.0.0.0", "100.64.0.1", "::1", "::", "fe80::1", "fd00:ec2::254", "fc00::7",
                "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a00:5", "224.0.0.1", "255.255.255.255",
                // 6to4 of 10.0.0.5 and of 169.254.169.254, IPv4-translated 127.0.0.1, NAT64's local-use prefix
                "2002:a00:5::1", "2002:a9fe:a9fe::", "::ffff:0:7f00:1", "64:ff9b:1::a00:5",
                // NAT64's local-use prefix whatever its last bytes say (8.8.8.8 here): the network decides its translation
                "64:ff9b:1:a00:1:0:808:808")) {
            assertThat(guard.permits(InetAddress.getByName(address))).as(address).isFalse();
        }
        for (String address : List.of("93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "172.32.0.1",
                "2002:5db8:d822::1")) {
            assertThat(guard.permits(InetAddress.getByName(address))).as(address).isTrue();
        }
        assertThatThrownBy(() -> guard.resolve("localhost")).isInstanceOf(AddressGuard.RefusedAddressException.class);
        assertThatThrownBy(() -> guard.resolve("[::1]")).isInstanceOf(AddressGuard.RefusedAddressException.class);
        assertThatThrownBy(() -> guard.resolve("localhost")).as("the tenant reads the message: not the address")
                .message().doesNotContain("127.0.0.1").doesNotContain("0:0:0:0:0:0:0:1");
    }

    @Test
    void anAllowedNetworkIsPermittedAndNothingBeyondIt() throws Exception {
        AddressGuard guard = new AddressGuard(List.of("127.0.0.0/8", " 10.1.0.0/16 "));
        assertThat(guard.permits(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(guard.permits(InetAddress.getByName("10.1.200.3"))).isTrue();
        assertThat(guard.permits(InetAddress.getByName("10.2.0.1"))).isFalse();
        assertThat(guard.permits(InetAddress.getByName("169.254.169.254"))).isFalse();
        assertThat(guard.resolve("localhost")).isNotEmpty();
        assertThatThrownBy(() -> new AddressGuard(List.of("example.com/8"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AddressGuard(List.of("10.0.0.0/33"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachRetryWaitsLongerThanTheOneBeforeUpToTheCap() {
        RetrySchedule schedule = new RetrySchedule(Duration.ofSeconds(5), Duration.ofHours(6));
        for (int run = 0; run < 200; run++) {
            Duration previous = Duration.ZERO;
            for (int attempt = 1; attempt <= 7; attempt++) {
                Duration delay = schedule.delayAfter(attempt);
                assertThat(delay).isGreaterThan(previous);
                previous = delay;
            }
            assertThat(schedule.delayAfter(30)).isBetween(Duration.ofMinutes(270), Duration.ofMinutes(450));
        }
        // 5 s × 4^n with jitter: the attempts of the first day leave a delivery retried for more than 24 hours
        Duration total = Duration.ZERO;
        int attempts = 0;
        while (total.compareTo(Duration.ofHours(24)) < 0) {
            total = total.plus(schedule.delayAfter(++attempts));
        }
        assertThat(attempts).isLessThan(20);
    }
}
