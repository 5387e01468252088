package dev.kindemcp.bridge.kinde.fake;

import java.net.URI;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Runs FakeKinde as a local development identity provider for a bridge started without a Kinde account; it
 * stays up until the process is killed. Test code only: it is never part of the WAR.
 *
 * <p>Environment: {@code DEV_KINDE_PORT} (default 9091), {@code KINDE_CLIENT_ID} / {@code KINDE_CLIENT_SECRET}
 * (defaults {@code dev-bridge} / {@code dev-bridge-secret}), {@code BRIDGE_ISSUER} (default
 * {@code http://localhost:9080}) for the allowed callback. With {@code KINDE_DOMAIN} set it exits at once.
 *
 * <p>Related specifications:
 * @see <a href="https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig">OpenID Connect Discovery 1.0 §4 Obtaining OpenID Provider Configuration Information</a>
 */
public final class DevKinde {

    static final int DEFAULT_PORT = 9091;
    static final String DEFAULT_CLIENT_ID = "dev-bridge";
    static final String DEFAULT_CLIENT_SECRET = "dev-bridge-secret";
    static final String DEFAULT_BRIDGE_ISSUER = "http://localhost:9080";
    static final String CALLBACK_PATH = "/kinde/callback";

    private DevKinde() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (env("KINDE_DOMAIN").isPresent()) {
            System.out.println("DevKinde: KINDE_DOMAIN is set, so the development identity provider is not needed.");
            return;
        }
        int port = env("DEV_KINDE_PORT").map(Integer::parseInt).orElse(DEFAULT_PORT);
        FakeApp bridge = new FakeApp(env("KINDE_CLIENT_ID").orElse(DEFAULT_CLIENT_ID),
                env("KINDE_CLIENT_SECRET").orElse(DEFAULT_CLIENT_SECRET),
                callbacks(env("BRIDGE_ISSUER").orElse(DEFAULT_BRIDGE_ISSUER)));
        FakeKinde kinde = FakeKinde.start(port, bridge);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kinde.close();
            stopped.countDown();
            // a stop by signal (Ctrl-C, or Maven ending the run command) is this server's normal end: exit 0,
            // not 143, so that the run command does not report "Async process failed"
            Runtime.getRuntime().halt(0);
        }, "dev-kinde-shutdown"));
        System.out.println(banner(kinde, bridge));
        stopped.await();
    }

    /** The bridge's callback on its issuer, plus the same callback on the other loopback name. */
    static Set<String> callbacks(String bridgeIssuer) {
        String issuer = bridgeIssuer.endsWith("/") ? bridgeIssuer.substring(0, bridgeIssuer.length() - 1)
                : bridgeIssuer;
        Set<String> callbacks = new LinkedHashSet<>();
        callbacks.add(issuer + CALLBACK_PATH);
        URI uri = URI.create(issuer);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        if (host.equals("localhost")) {
            callbacks.add(uri.getScheme() + "://127.0.0.1" + port + CALLBACK_PATH);
        } else if (host.equals("127.0.0.1")) {
            callbacks.add(uri.getScheme() + "://localhost" + port + CALLBACK_PATH);
        }
        callbacks.add("http://127.0.0.1:9080" + CALLBACK_PATH);
        return callbacks;
    }

    static String banner(FakeKinde kinde, FakeApp bridge) {
        StringBuilder users = new StringBuilder();
        kinde.users().stream().sorted(Comparator.comparing(FakeUser::email)).forEach(user -> users
                .append(users.length() == 0 ? "" : "; ").append(user.email()).append(" in ")
                .append(user.orgCodes().isEmpty() ? "no organisation" : String.join(",", user.orgCodes())));
        return "***** DEVELOPMENT IDENTITY PROVIDER (FakeKinde, NOT Kinde, never use in production) at "
                + kinde.issuer() + " for client " + bridge.clientId() + " -> callbacks " + bridge.callbackUrls()
                + "; demo users: " + users + "; demo M2M app: " + KindeDemoData.M2M_CLIENT_ID + " / "
                + KindeDemoData.M2M_CLIENT_SECRET + " (" + KindeDemoData.READ_NOTES + " on "
                + KindeDemoData.API_AUDIENCE + ") *****";
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).map(String::trim).filter(v -> !v.isEmpty());
    }
}
