package dev.kindemcp.bridge.kinde;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Revokes the Kinde refresh tokens of grants the bridge ended, at Kinde's revocation endpoint, in the
 * background: best effort, retried after 2 s, 10 s and 60 s while Kinde is unreachable, never delaying the
 * answer to the client that ended the grant. A revocation still pending when the server stops is lost (the
 * bridge's own grant is already gone; the Kinde refresh token then lives until Kinde's own expiry).
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7009#section-2.1">RFC 7009 §2.1 Revocation Request</a>
 * @see <a href="https://docs.kinde.com/build/tokens/configure-tokens/">Kinde: Configure tokens (revoke a token)</a>
 */
@ApplicationScoped
public class KindeRevocations {

    private static final Logger LOG = Logger.getLogger(KindeRevocations.class.getName());

    /** The pause before each attempt: at once, then 2 s, 10 s and 60 s later. */
    static final List<Duration> SCHEDULE = List.of(Duration.ZERO, Duration.ofSeconds(2), Duration.ofSeconds(10),
            Duration.ofSeconds(60));

    @Inject
    KindeGateway kinde;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    /** Schedules the revocation of the Kinde refresh token of the ended grant {@code grantId}. */
    public void revokeLater(String grantId, String refreshToken) {
        schedule(grantId, refreshToken, 0);
    }

    private void schedule(String grantId, String refreshToken, int attempt) {
        scheduler.schedule(() -> attempt(grantId, refreshToken, attempt), SCHEDULE.get(attempt).toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void attempt(String grantId, String refreshToken, int attempt) {
        try {
            kinde.revokeRefreshToken(refreshToken);
            LOG.info(() -> "the Kinde refresh token of ended grant " + grantId + " is revoked at Kinde");
        } catch (KindeUpstreamException e) {
            if (e.transientFailure() && attempt + 1 < SCHEDULE.size()) {
                LOG.info(() -> "Kinde revocation for ended grant " + grantId + " will be retried: " + e.describe());
                schedule(grantId, refreshToken, attempt + 1);
            } else {
                LOG.warning(() -> "the Kinde refresh token of ended grant " + grantId + " could not be revoked at "
                        + "Kinde; it expires there by itself: " + e.describe());
            }
        } catch (RuntimeException e) {
            LOG.warning(() -> "the Kinde refresh token of ended grant " + grantId + " could not be revoked at Kinde: "
                    + e.getClass().getSimpleName());
        }
    }
}
