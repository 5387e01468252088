package dev.kindemcp.bridge.account;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.kindemcp.bridge.registration.ClientDirectory;
import dev.kindemcp.bridge.registration.KnownClient;
import dev.kindemcp.bridge.store.AccountStore;
import dev.kindemcp.bridge.token.GrantEnding;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The MCP clients users authorized, as the connected-apps page and the admin API show them (issue 15.4): one
 * entry per user and client, from the live refresh families and the remembered approvals, with the client's
 * name and redirect host, the scopes, the organisations, and the first and last use. Ending one revokes the
 * families, revokes the Kinde refresh tokens at Kinde and forgets the approvals ({@link GrantEnding}).
 */
@ApplicationScoped
public class ConnectedApps {

    /** The most rows one listing reads from each table; narrow by user or client to see past them. */
    public static final int LIMIT = 500;

    /** One user's connection to one client. */
    public record ConnectedApp(String user, String clientId, Optional<String> clientName,
            Optional<String> redirectHost, List<String> scopes, List<String> organisations, Instant firstUse,
            Instant lastUse, int liveGrants) {
    }

    /** What to list: any of user, client and organisation, or all. */
    public record Filter(Optional<String> user, Optional<String> client, Optional<String> organisation) {

        public static Filter of(String user, String client, String organisation) {
            return new Filter(blankToEmpty(user), blankToEmpty(client), blankToEmpty(organisation));
        }

        private static Optional<String> blankToEmpty(String value) {
            return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
        }
    }

    @Inject
    AccountStore store;

    @Inject
    ClientDirectory clients;

    @Inject
    GrantEnding grants;

    @Inject
    Clock clock;

    public List<ConnectedApp> list(Filter filter) {
        Map<List<String>, Builder> apps = new LinkedHashMap<>();
        for (AccountStore.LiveGrant grant : store.liveGrants(filter.user(), filter.client(), clock.instant(), LIMIT)) {
            Optional<String> org = organisation(grant.identityJson());
            if (filter.organisation().isPresent() && !filter.organisation().equals(org)) {
                continue;
            }
            Builder app = apps.computeIfAbsent(List.of(grant.kindeSubject(), grant.clientId()), Builder::new);
            app.use(grant.createdAt(), grant.lastUsedAt(), grant.scope());
            org.ifPresent(app.organisations::add);
            app.liveGrants++;
        }
        for (AccountStore.Approval approval : store.approvals(filter.user(), filter.client(), LIMIT)) {
            Builder app = apps.get(List.of(approval.kindeUserId(), approval.clientId()));
            if (app == null && filter.organisation().isPresent()) {
                continue; // an approval alone names no organisation
            }
            if (app == null) {
                app = new Builder(List.of(approval.kindeUserId(), approval.clientId()));
                apps.put(app.key, app);
            }
            app.use(approval.createdAt(), approval.updatedAt(), approval.scope());
        }
        List<ConnectedApp> list = new ArrayList<>();
        for (Builder app : apps.values()) {
            list.add(app.build(clients));
        }
        list.sort(Comparator.comparing(ConnectedApp::lastUse).reversed());
        return list;
    }

    /** Ends what {@code user} granted {@code client}; {@code actor} is who asked. Answers whether anything ended. */
    public boolean revoke(String user, String client, String actor) {
        return grants.endUserGrants(user, client, actor) > 0;
    }

    private static Optional<String> organisation(String identityJson) {
        try {
            Object org = JSONObjectUtils.parse(identityJson).get("org_code");
            return org instanceof String s ? Optional.of(s) : Optional.empty();
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    private static final class Builder {
        final List<String> key;
        final TreeSet<String> scopes = new TreeSet<>();
        final TreeSet<String> organisations = new TreeSet<>();
        Instant first;
        Instant last;
        int liveGrants;

        Builder(List<String> key) {
            this.key = key;
        }

        void use(Instant from, Instant to, String scope) {
            first = first == null || from.isBefore(first) ? from : first;
            last = last == null || to.isAfter(last) ? to : last;
            for (String s : scope.split(" ")) {
                if (!s.isEmpty()) {
                    scopes.add(s);
                }
            }
        }

        ConnectedApp build(ClientDirectory clients) {
            Optional<KnownClient> client;
            try {
                client = clients.find(key.get(1));
            } catch (RuntimeException e) { // a client ID metadata document that cannot be read now
                client = Optional.empty();
            }
            Optional<String> host = client.flatMap(c -> c.redirectUris().stream().findFirst())
                    .map(uri -> URI.create(uri).getHost());
            return new ConnectedApp(key.get(0), key.get(1), client.flatMap(KnownClient::name), host,
                    List.copyOf(scopes), List.copyOf(organisations), first, last, liveGrants);
        }
    }
}
