package dev.kindemcp.bridge.registration;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientMetadata;
import dev.kindemcp.bridge.oauth.OAuthException;
import dev.kindemcp.bridge.registration.CimdFetcher.FetchedDocument;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import net.minidev.json.JSONObject;

/**
 * Validates a fetched Client ID Metadata Document: a JSON object served as {@code application/json}, whose
 * {@code client_id} equals the URL it was fetched from, with {@code client_name} and {@code redirect_uris}, and
 * no shared secret ({@code token_endpoint_auth_method} absent or {@code none}, no {@code client_secret}).
 *
 * <p>A body that is not a JSON object is an outage symptom (an HTML error page) and counts as unavailable;
 * a JSON object that breaks a rule is rejected. Descriptions never quote the document.
 *
 * <p>Related specifications:
 * @see <a href="https://datatracker.ietf.org/doc/html/draft-ietf-oauth-client-id-metadata-document-00#section-4.1">CIMD draft-00 §4.1 Client Metadata</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7591#section-2">RFC 7591 §2 Client Metadata</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3986#section-6.2.1">RFC 3986 §6.2.1 Simple String Comparison</a>
 */
final class CimdDocumentValidator {

    private static final String JSON = "application/json";

    private CimdDocumentValidator() {
    }

    /** The document's metadata, or why it cannot be used. */
    static OIDCClientMetadata validate(String clientId, FetchedDocument document) throws CimdException {
        String contentType = document.header("content-type").orElse("");
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!JSON.equals(mediaType)) {
            throw CimdException.unavailable("the client metadata document is not served as application/json",
                    "GET " + clientId + ": Content-Type " + quote(contentType));
        }
        JSONObject json = parseObject(clientId, document.body());

        String documentClientId;
        try {
            documentClientId = JSONObjectUtils.getString(json, "client_id", null);
        } catch (ParseException e) {
            documentClientId = null;
        }
        // CIMD draft-00 §4.1: client_id MUST match the document URL by simple string comparison
        if (!clientId.equals(documentClientId)) {
            throw rejected("its client_id does not match the document URL", clientId,
                    documentClientId == null ? "client_id missing or not a string" : "client_id differs");
        }
        // CIMD draft-00 §4.1: client_secret and client_secret_expires_at MUST NOT be used
        if (json.containsKey("client_secret") || json.containsKey("client_secret_expires_at")) {
            throw rejected("it must not contain a client secret", clientId, "client_secret present");
        }
        Object method = json.get("token_endpoint_auth_method");
        // CIMD draft-00 §4.1: no method based on a shared secret; the bridge accepts public clients only
        if (method != null && !ClientAuthenticationMethod.NONE.getValue().equals(method)) {
            throw rejected("its token_endpoint_auth_method must be none", clientId,
                    "token_endpoint_auth_method " + quote(String.valueOf(method)));
        }

        OIDCClientMetadata metadata;
        try {
            metadata = OIDCClientMetadata.parse(json);
        } catch (ParseException e) {
            throw rejected("it is not valid client metadata", clientId,
                    "Nimbus: " + OAuthException.wireSafe(e.getMessage()));
        }
        // MCP 2026-07-28 Authorization, Client Registration: "Implementation Requirements": client_name and
        // redirect_uris MUST be present
        if (metadata.getName() == null || metadata.getName().isBlank()) {
            throw rejected("it must contain client_name", clientId, "client_name missing");
        }
        if (metadata.getRedirectionURIs() == null || metadata.getRedirectionURIs().isEmpty()) {
            throw rejected("it must contain redirect_uris", clientId, "redirect_uris missing");
        }
        return metadata;
    }

    private static JSONObject parseObject(String clientId, byte[] body) throws CimdException {
        String text;
        try {
            // RFC 8259 §8.1: JSON exchanged between systems MUST be UTF-8
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw CimdException.unavailable("the client metadata document is not a JSON object",
                    "GET " + clientId + ": body is not UTF-8");
        }
        try {
            return JSONObjectUtils.parse(text);
        } catch (ParseException e) {
            throw CimdException.unavailable("the client metadata document is not a JSON object",
                    "GET " + clientId + ": " + OAuthException.wireSafe(e.getMessage()));
        }
    }

    private static CimdException rejected(String reason, String clientId, String detail) {
        return CimdException.rejected("the client metadata document is not valid: " + reason,
                "GET " + clientId + ": " + detail);
    }

    private static String quote(String value) {
        String cut = value.length() > 80 ? value.substring(0, 80) + "..." : value;
        return "\"" + OAuthException.wireSafe(cut) + "\"";
    }
}
