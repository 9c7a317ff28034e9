package ai.calling.integration.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The SSRF guard of outbound webhooks: an address is refused when it is loopback, unspecified,
 * private (RFC 1918, carrier-grade NAT), link-local (which holds the cloud metadata address
 * 169.254.169.254), unique-local IPv6 (fc00::/7, which holds AWS's fd00:ec2::254), multicast,
 * broadcast or reserved, unless it lies in one of the allowed networks. IPv6 forms that carry an IPv4
 * address (IPv4-mapped, -compatible and -translated, NAT64's well-known prefix, 6to4) are judged by that
 * address; NAT64's local-use prefix (64:ff9b:1::/48), whose translation the network decides, is refused.
 */
public final class AddressGuard {

    private static final List<Cidr> BLOCKED = List.of(
            Cidr.parse("0.0.0.0/8"), Cidr.parse("10.0.0.0/8"), Cidr.parse("100.64.0.0/10"), Cidr.parse("127.0.0.0/8"),
            Cidr.parse("169.254.0.0/16"), Cidr.parse("172.16.0.0/12"), Cidr.parse("192.0.0.0/24"),
            Cidr.parse("192.0.2.0/24"), Cidr.parse("192.168.0.0/16"), Cidr.parse("198.18.0.0/15"),
            Cidr.parse("198.51.100.0/24"), Cidr.parse("203.0.113.0/24"), Cidr.parse("224.0.0.0/3"),
            Cidr.parse("::/128"), Cidr.parse("::1/128"), Cidr.parse("fc00::/7"), Cidr.parse("fe80::/10"),
            Cidr.parse("fec0::/10"), Cidr.parse("ff00::/8"), Cidr.parse("2001:db8::/32"), Cidr.parse("100::/64"),
            Cidr.parse("64:ff9b:1::/48"));

    private final List<Cidr> allowed;

    public AddressGuard(List<String> allowedNetworks) {
        List<Cidr> parsed = new ArrayList<>();
        for (String network : allowedNetworks) {
            parsed.add(Cidr.parse(network));
        }
        this.allowed = List.copyOf(parsed);
    }

    /** Whether a connection to this address may be made. */
    public boolean permits(InetAddress address) {
        InetAddress judged = embeddedIpv4(address);
        if (allowed.stream().anyMatch(cidr -> cidr.contains(address) || cidr.contains(judged))) {
            return true;
        }
        // the address itself too: a prefix refused as a whole (NAT64's local-use one) is not judged by its last bytes
        return !(judged.isLoopbackAddress() || judged.isAnyLocalAddress() || judged.isLinkLocalAddress()
                || judged.isSiteLocalAddress() || judged.isMulticastAddress()
                || BLOCKED.stream().anyMatch(cidr -> cidr.contains(judged) || cidr.contains(address)));
    }

    /** Resolves a host and returns its addresses when every one of them is permitted; else throws. */
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] addresses = InetAddress.getAllByName(host);
        for (InetAddress address : addresses) {
            if (!permits(address)) {
                throw new RefusedAddressException(host, address);
            }
        }
        return addresses;
    }

    /**
     * The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d),
     * IPv4-compatible, NAT64 (64:ff9b::/96) or 6to4 (2002:AABB:CCDD::/48) one.
     */
    static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] bytes = address.getAddress();
        boolean zeroPrefix = true;
        for (int i = 0; i < 10; i++) {
            zeroPrefix &= bytes[i] == 0;
        }
        boolean mapped = zeroPrefix && (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
        boolean compatible = zeroPrefix && bytes[10] == 0 && bytes[11] == 0 && !(bytes[12] == 0 && bytes[13] == 0 && bytes[14] == 0);
        // the well-known prefix 64:ff9b::/96 only (bytes 4 to 11 zero), not the local-use 64:ff9b:1::/48
        boolean nat64 = (bytes[0] & 0xff) == 0x00 && (bytes[1] & 0xff) == 0x64 && (bytes[2] & 0xff) == 0xff
                && (bytes[3] & 0xff) == 0x9b;
        for (int i = 4; i < 12; i++) {
            nat64 &= bytes[i] == 0;
        }
        boolean translated = true;
        for (int i = 0; i < 8; i++) {
            translated &= bytes[i] == 0;
        }
        translated &= (bytes[8] & 0xff) == 0xff && (bytes[9] & 0xff) == 0xff && bytes[10] == 0 && bytes[11] == 0;
        boolean sixToFour = (bytes[0] & 0xff) == 0x20 && (bytes[1] & 0xff) == 0x02;
        if (sixToFour) {
            return ipv4At(bytes, 2);
        }
        if (mapped || compatible || nat64 || translated) {
            return ipv4At(bytes, 12);
        }
        return address;
    }

    /** The IPv4 address in the four bytes from {@code offset}. */
    private static InetAddress ipv4At(byte[] bytes, int offset) {
        try {
            return Inet4Address.getByAddress(new byte[] { bytes[offset], bytes[offset + 1], bytes[offset + 2],
                    bytes[offset + 3] });
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** A host resolved to an address the guard refuses. */
    public static final class RefusedAddressException extends UnknownHostException {

        private static final long serialVersionUID = 1L;

        private final transient InetAddress address;

        /**
         * The message names the host, not the address: it reaches the tenant (a delivery's error), and an
         * internal address behind a name the tenant controls is not theirs to learn.
         */
        RefusedAddressException(String host, InetAddress address) {
            super(host + " resolves to a loopback, private, link-local or reserved address");
            this.address = address;
        }

        /** The refused address, for the operator's log. */
        public InetAddress address() {
            return address;
        }
    }

    /** A network in CIDR notation. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            String[] parts = text.trim().split("/", 2);
            try {
                if (!parts[0].matches("[0-9a-fA-F:.]+")) {
                    throw new IllegalArgumentException("not an IP address: " + text);
                }
                byte[] network = InetAddress.getByName(parts[0]).getAddress();
                int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("bad prefix length in " + text);
                }
                return new Cidr(network, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not a CIDR network: " + text, e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (bytes[full] & mask) == (network[full] & mask);
        }
    }
}
