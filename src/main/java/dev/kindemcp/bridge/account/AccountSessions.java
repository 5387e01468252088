package dev.kindemcp.bridge.account;

import dev.kindemcp.bridge.audit.AuditLog;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.kinde.KindeLogin;
import dev.kindemcp.bridge.oauth.Secrets;
import dev.kindemcp.bridge.store.AccountStore;
import dev.kindemcp.bridge.store.AccountStore.AccountSession;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.NewCookie;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Sign-ins to the connected-apps page (issue 15.4). A Kinde login through the bridge's one Kinde application
 * opens a session of {@value #LIFETIME_MINUTES} minutes: a random value in a {@code __Host-} cookie (Secure,
 * HttpOnly, SameSite=Lax, Path=/), stored as a hash. The page's CSRF token is derived from the cookie's value,
 * which no script can read. An operator is a user whose Kinde token carries {@code bridge.operator-permission}.
 */
@ApplicationScoped
public class AccountSessions {

    static final String COOKIE = "__Host-kmb-account";
    static final int LIFETIME_MINUTES = 30;

    @Inject
    AccountStore store;

    @Inject
    BridgeConfig config;

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    /** Opens a session for a completed Kinde login; answers the cookie value. */
    public String open(KindeLogin login) {
        String value = Secrets.random(32);
        Instant now = clock.instant();
        boolean operator = config.operatorPermission()
                .map(permission -> login.identity().effectivePermissions().contains(permission)).orElse(false);
        store.createSession(Secrets.hash(value), new AccountSession(login.subject(), login.identity().orgCode(),
                operator, now.plus(Duration.ofMinutes(LIFETIME_MINUTES))), now);
        audit.record("account_login", "success", "actor", login.subject(),
                "org", login.identity().orgCode().orElse(null), "operator", operator);
        return value;
    }

    /** The session of this cookie value, if it is one and has not expired. */
    Optional<AccountSession> find(Optional<String> cookie) {
        return cookie.filter(v -> !v.isEmpty() && v.length() <= 100)
                .flatMap(v -> store.findSession(Secrets.hash(v), clock.instant()));
    }

    void close(String cookie) {
        store.deleteSession(Secrets.hash(cookie));
    }

    /** The CSRF token of the page of this session: it proves a form came from a page the session was shown. */
    static String csrf(String cookie) {
        return Secrets.hash("account-csrf " + cookie);
    }

    static boolean csrfMatches(String cookie, String presented) {
        return presented != null && MessageDigest.isEqual(csrf(cookie).getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }

    /** The session cookie for {@code value}. */
    public static NewCookie cookie(String value) {
        return new NewCookie.Builder(COOKIE).value(value).path("/").secure(true).httpOnly(true)
                .sameSite(NewCookie.SameSite.LAX).maxAge(LIFETIME_MINUTES * 60).build();
    }

    static NewCookie expired() {
        return new NewCookie.Builder(COOKIE).value("").path("/").secure(true).httpOnly(true)
                .sameSite(NewCookie.SameSite.LAX).maxAge(0).build();
    }
}
