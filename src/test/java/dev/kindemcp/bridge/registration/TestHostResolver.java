package dev.kindemcp.bridge.registration;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A scripted name service: each host answers with the scripted address lists in turn (the last one repeats),
 * and every lookup is recorded. Unknown names fail as DNS would.
 */
final class TestHostResolver implements HostResolver {

    private final Map<String, Deque<List<InetAddress>>> answers = new HashMap<>();
    private final List<String> lookups = new ArrayList<>();

    /** Adds one answer for {@code host}: all of {@code addresses} at once. */
    synchronized TestHostResolver answer(String host, InetAddress... addresses) {
        answers.computeIfAbsent(host, h -> new ArrayDeque<>()).add(List.of(addresses));
        return this;
    }

    /** Adds one answer for {@code host} from IP literals (no lookup happens for a literal). */
    TestHostResolver answer(String host, String... literals) {
        InetAddress[] addresses = new InetAddress[literals.length];
        for (int i = 0; i < literals.length; i++) {
            addresses[i] = literal(literals[i]);
        }
        return answer(host, addresses);
    }

    @Override
    public synchronized List<InetAddress> resolve(String host) throws UnknownHostException {
        lookups.add(host);
        Deque<List<InetAddress>> queue = answers.get(host);
        if (queue == null || queue.isEmpty()) {
            throw new UnknownHostException(host);
        }
        return queue.size() > 1 ? queue.poll() : queue.peek();
    }

    synchronized List<String> lookups() {
        return List.copyOf(lookups);
    }

    synchronized long lookupsOf(String host) {
        return lookups.stream().filter(host::equals).count();
    }

    static InetAddress literal(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** {@code ::ffff:<ipv4>} kept as an IPv6 address (the JDK would otherwise turn it into IPv4). */
    static InetAddress ipv4Mapped(String ipv4) {
        byte[] v4 = literal(ipv4).getAddress();
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xff;
        v6[11] = (byte) 0xff;
        System.arraycopy(v4, 0, v6, 12, 4);
        try {
            return Inet6Address.getByAddress(null, v6, null);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ipv4, e);
        }
    }
}
