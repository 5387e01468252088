package dev.kindemcp.bridge.token;

import dev.kindemcp.bridge.kinde.KindeRevocations;
import dev.kindemcp.bridge.kinde.TokenVault;
import dev.kindemcp.bridge.oauth.ClientDeleted;
import dev.kindemcp.bridge.store.AccountStore;
import dev.kindemcp.bridge.store.AuthorizationStore;
import dev.kindemcp.bridge.store.RefreshFamily;
import dev.kindemcp.bridge.store.TokenStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.logging.Logger;

/**
 * Ends bridge grants completely: the refresh-token families are revoked, the Kinde tokens behind them leave the
 * vault, and their Kinde refresh tokens are revoked at Kinde in the background. Used by RFC 7009 revocation,
 * refresh-token reuse detection, authorization-code replay and client deletion (RFC 7592 and the admin API).
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7009#section-2.1">RFC 7009 §2.1 (revoking a refresh token ends the grant)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2">RFC 9700 §4.14.2 Refresh Token Protection (reuse revokes)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2">RFC 6749 §4.1.2 (a replayed code revokes its tokens)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7592#section-2.3">RFC 7592 §2.3 Client Delete Request</a>
 */
@ApplicationScoped
public class GrantEnding {

    /** The audit trail (issue 15.3); absent when the class is built without CDI (unit tests). */
    @jakarta.inject.Inject
    dev.kindemcp.bridge.audit.AuditLog audit;

    private static final Logger LOG = Logger.getLogger(GrantEnding.class.getName());

    @Inject
    TokenStore tokens;

    @Inject
    AuthorizationStore authorizations;

    @Inject
    TokenVault vault;

    @Inject
    KindeRevocations revocations;

    @Inject
    AccountStore accounts;

    @Inject
    Clock clock;

    /** Ends one family's grant. */
    public void endFamily(RefreshFamily family) {
        tokens.revokeFamily(family.id(), clock.instant());
        endGrants(List.of(family.grantId()));
    }

    /** Ends the grants of every family started from a replayed code; returns how many families were live. */
    public int endFamiliesOfCode(String codeHash) {
        List<String> grants = tokens.revokeFamiliesOfCode(codeHash, clock.instant());
        endGrants(grants);
        return grants.size();
    }

    /** A deleted client keeps nothing: its families, its unredeemed codes and their Kinde grants end. */
    void clientDeleted(@Observes ClientDeleted deleted) {
        List<String> grants = new ArrayList<>(tokens.revokeFamiliesOfClient(deleted.clientId(), clock.instant()));
        grants.addAll(authorizations.deleteCodesOfClient(deleted.clientId()));
        endGrants(grants);
        LOG.info(() -> "deleted client " + deleted.clientId() + ": " + grants.size() + " grants ended");
        audit("client_grants_ended", "success", "client", deleted.clientId(), "grants", grants.size());
    }

    /**
     * Ends what {@code user} granted {@code client} (issue 15.4, the connected-apps page and the admin API): the
     * refresh families, the Kinde tokens behind them (revoked at Kinde), and the approvals, so that the next login
     * asks again. {@code actor} is the user or the operator, for the audit trail. Answers how many grants and
     * approvals ended.
     */
    public int endUserGrants(String user, String client, String actor) {
        List<String> grants = accounts.revokeGrants(user, client, clock.instant());
        int approvals = accounts.forgetApprovals(user, client);
        endGrants(grants);
        audit("grant_revoked", "success", "actor", actor, "user", user, "client", client, "grants", grants.size(),
                "approvals", approvals);
        return grants.size() + approvals;
    }

    private void endGrants(List<String> grantIds) {
        for (String grantId : new LinkedHashSet<>(grantIds)) {
            vault.end(grantId).ifPresent(refreshToken -> revocations.revokeLater(grantId, refreshToken));
        }
    }

    private void audit(String event, String outcome, Object... fields) {
        if (audit != null) {
            audit.record(event, outcome, fields);
        }
    }
}
