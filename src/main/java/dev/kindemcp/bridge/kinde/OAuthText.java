package dev.kindemcp.bridge.kinde;

import com.nimbusds.oauth2.sdk.ErrorObject;

/**
 * Log-safe text about Kinde's OAuth errors: the registered code only, never Kinde's description or body.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2">RFC 6749 §5.2 Error Response</a>
 */
final class OAuthText {

    private OAuthText() {
    }

    static String code(ErrorObject error) {
        String code = error == null ? null : error.getCode();
        return code == null || !code.matches("[a-z_]{1,40}") ? "(unregistered error)" : code;
    }
}
