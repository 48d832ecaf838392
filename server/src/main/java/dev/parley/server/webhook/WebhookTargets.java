package dev.parley.server.webhook;

import dev.parley.server.common.ParleyException;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a webhook may point. Deliveries are requests the server makes on a stranger's behalf, so their host must
 * be on the public internet: a name that resolves, or an address, outside loopback, link-local (169.254.0.0/16,
 * where cloud metadata lives), private, carrier-grade NAT, multicast, reserved and unspecified ranges, and the IPv6
 * forms that embed an IPv4 address (an IPv4-mapped address is checked as the IPv4 address it is). The check runs
 * when the webhook is set and again before every attempt, on the address then connected to, so a name that later
 * resolves to 127.0.0.1 (DNS rebinding) gains nothing. The operator may open networks with
 * {@code parley.webhooks.allowed-networks} (a bot beside the server, tests).
 */
@ApplicationScoped
public class WebhookTargets {

    /** Thrown when a target is refused; the message says why, for the caller or the delivery's last error. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private static final List<Network> FORBIDDEN = List.of(
            Network.parse("0.0.0.0/8"), Network.parse("10.0.0.0/8"), Network.parse("100.64.0.0/10"),
            Network.parse("127.0.0.0/8"), Network.parse("169.254.0.0/16"), Network.parse("172.16.0.0/12"),
            Network.parse("192.0.0.0/24"), Network.parse("192.0.2.0/24"), Network.parse("192.168.0.0/16"),
            Network.parse("198.18.0.0/15"), Network.parse("198.51.100.0/24"), Network.parse("203.0.113.0/24"),
            Network.parse("224.0.0.0/4"), Network.parse("240.0.0.0/4"),
            Network.parse("::/128"), Network.parse("::1/128"),
            Network.parse("::/96"), Network.parse("64:ff9b::/96"), Network.parse("100::/64"),
            Network.parse("2001:db8::/32"), Network.parse("2002::/16"), Network.parse("fc00::/7"),
            Network.parse("fe80::/10"), Network.parse("fec0::/10"), Network.parse("ff00::/8"));

    /** A host made of digits, dots and hex letters starting with a digit is meant as a number: 0x7f000001, 127.1. */
    private static final Pattern NUMERIC_LOOKING = Pattern.compile("^[0-9][0-9a-fA-FxX.]*$");
    private static final Pattern DOTTED_QUAD = Pattern.compile(
            "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$");

    private final List<Network> allowed;

    WebhookTargets(WebhookConfig config) {
        this.allowed = config.allowedNetworks().orElse(List.of()).stream().map(String::strip)
                .filter(s -> !s.isEmpty()).map(Network::parse).toList();
    }

    /** At SetBotWebhook: the URL or INVALID_ARGUMENT naming {@code url}, with the reason. */
    public URI checkUrl(String url) {
        return checkUrl(url, "url");
    }

    /** The URL or INVALID_ARGUMENT naming {@code field}, with the reason (push endpoints use the same rules). */
    public URI checkUrl(String url, String field) {
        try {
            URI uri = parse(url);
            for (InetAddress address : resolve(uri)) {
                check(address);
            }
            return uri;
        } catch (Refused refused) {
            throw ParleyException.invalid("INVALID_FIELDS", field, refused.getMessage());
        }
    }

    /** Before an attempt: the address to connect to, resolved now; refused when any the name has is forbidden. */
    public InetAddress addressFor(URI uri) throws Refused {
        InetAddress[] addresses = resolve(uri);
        for (InetAddress address : addresses) {
            check(address);
        }
        return addresses[0];
    }

    private static URI parse(String url) throws Refused {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Refused("must be an absolute http:// or https:// URL");
        }
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawUserInfo() != null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new Refused("must be an absolute http:// or https:// URL, without a user name or password");
        }
        String host = uri.getHost();
        if (NUMERIC_LOOKING.matcher(host).matches() && !DOTTED_QUAD.matcher(host).matches()) {
            throw new Refused("write an IPv4 address as four decimal numbers (a.b.c.d), not " + host);
        }
        return uri;
    }

    private static InetAddress[] resolve(URI uri) throws Refused {
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new Refused("its host " + uri.getHost() + " does not resolve");
        }
    }

    private void check(InetAddress address) throws Refused {
        if (allowed.stream().anyMatch(network -> network.contains(address))) {
            return;
        }
        boolean forbidden = address.isAnyLocalAddress() || address.isLoopbackAddress()
                || address.isLinkLocalAddress() || address.isSiteLocalAddress() || address.isMulticastAddress()
                || (address instanceof Inet6Address v6 && v6.isIPv4CompatibleAddress())
                || FORBIDDEN.stream().anyMatch(network -> network.contains(address));
        if (forbidden) {
            throw new Refused("must point to a public address; " + address.getHostAddress()
                    + " is loopback, private, link-local or reserved (the server's operator can allow a network with "
                    + "PARLEY_WEBHOOKS_ALLOWED_NETWORKS)");
        }
    }

    /** An address range in CIDR notation. */
    record Network(byte[] prefix, int bits) {

        static Network parse(String cidr) {
            int slash = cidr.indexOf('/');
            try {
                byte[] address = InetAddress.getByName(slash < 0 ? cidr : cidr.substring(0, slash)).getAddress();
                int bits = slash < 0 ? address.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
                if (bits < 0 || bits > address.length * 8) {
                    throw new IllegalArgumentException("bad prefix length in " + cidr);
                }
                return new Network(address, bits);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not a network in CIDR notation: " + cidr, e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != prefix.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit++) {
                int mask = 0x80 >> (bit % 8);
                if ((bytes[bit / 8] & mask) != (prefix[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
