package dev.kindemcp.bridge.keys;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.kindemcp.bridge.config.BridgeConfig;
import dev.kindemcp.bridge.oauth.Endpoints;
import dev.kindemcp.bridge.oauth.NoStore;
import dev.kindemcp.bridge.registration.AdminClientsResource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator's signing-key API (issue 15.5): {@code GET /admin/keys} names the key that signs and the keys
 * published; {@code POST /admin/keys/rotate} rotates now ({@link SigningKeyService#rotateNow()}), or answers 409
 * with the time from which it can. {@code GET /admin/keys/master} counts, per sealed column, the values under each
 * master key; {@code POST /admin/keys/master/reseal} seals them all under the current one now
 * ({@link MasterKeyRotation}). All need {@code bridge.admin-token}.
 *
 * <p>Related specifications:
 * @see <a href="https://openid.net/specs/openid-connect-core-1_0.html#RotateSigKeys">OpenID Connect Core 1.0 §10.1.1 Rotation of Asymmetric Signing Keys</a>
 */
@Path(Endpoints.ADMIN_KEYS)
@ApplicationScoped
public class AdminKeysResource {

    @Inject
    BridgeConfig config;

    @Inject
    SigningKeyService keys;

    @Inject
    MasterKeyRotation masterKey;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response status(@Context HttpServletRequest request) {
        AdminClientsResource.authorizeAdmin(config, request);
        return answer(200, state());
    }

    @POST
    @Path("rotate")
    @Produces(MediaType.APPLICATION_JSON)
    public Response rotate(@Context HttpServletRequest request) {
        AdminClientsResource.authorizeAdmin(config, request);
        try {
            keys.rotateNow();
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SigningKeyService.RotationRefused refused) {
                    Map<String, Object> conflict = new LinkedHashMap<>();
                    conflict.put("error", "rotation_refused");
                    conflict.put("error_description", refused.getMessage());
                    conflict.put("possible_at", refused.possibleAt().toString());
                    return answer(409, conflict);
                }
            }
            throw e;
        }
        return answer(200, state());
    }

    @GET
    @Path("master")
    @Produces(MediaType.APPLICATION_JSON)
    public Response masterKey(@Context HttpServletRequest request) {
        AdminClientsResource.authorizeAdmin(config, request);
        return answer(200, masterKey.status());
    }

    @POST
    @Path("master/reseal")
    @Produces(MediaType.APPLICATION_JSON)
    public Response reseal(@Context HttpServletRequest request) {
        AdminClientsResource.authorizeAdmin(config, request);
        return answer(200, masterKey.reseal("operator"));
    }

    private Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("current", keys.currentKeyId());
        state.put("published", keys.publishedKeys().getKeys().stream().map(k -> k.getKeyID()).toList());
        return state;
    }

    private static Response answer(int status, Map<String, Object> json) {
        return NoStore.apply(Response.status(status).type(MediaType.APPLICATION_JSON_TYPE))
                .entity(JSONObjectUtils.toJSONString(json)).build();
    }
}
