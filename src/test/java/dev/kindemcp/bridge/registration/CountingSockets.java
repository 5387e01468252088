package dev.kindemcp.bridge.registration;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.client5.http.io.DetachedSocketFactory;

/** The resolver's socket factory in tests: records every socket made and every address it connects to. */
final class CountingSockets implements DetachedSocketFactory {

    private final List<InetSocketAddress> connects = new ArrayList<>();
    private int created;

    @Override
    public synchronized Socket create(Proxy proxy) {
        if (proxy != null) {
            throw new AssertionError("the CIMD fetch must not use a proxy");
        }
        created++;
        return new Socket() {
            @Override
            public void connect(SocketAddress endpoint, int timeout) throws IOException {
                synchronized (CountingSockets.this) {
                    connects.add((InetSocketAddress) endpoint);
                }
                super.connect(endpoint, timeout);
            }
        };
    }

    synchronized int created() {
        return created;
    }

    /** Every address a connection was attempted to, in order. */
    synchronized List<InetSocketAddress> connects() {
        return List.copyOf(connects);
    }
}
