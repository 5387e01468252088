package dev.kindemcp.bridge.token;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Kinde identity a grant's access tokens carry (org_code, permissions, roles), as recorded at login.
 *
 * <p>Related specifications:
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068#section-2.2.3">RFC 9068 §2.2.3 Authorization Claims</a>
 */
record GrantIdentity(Optional<String> orgCode, List<String> permissions, List<String> roles) {

    static GrantIdentity parse(String json) {
        try {
            Map<String, Object> m = JSONObjectUtils.parse(json);
            return new GrantIdentity(Optional.ofNullable((String) m.get("org_code")), strings(m.get("permissions")),
                    strings(m.get("roles")));
        } catch (ParseException | ClassCastException e) {
            throw new IllegalStateException("stored grant identity is not valid", e);
        }
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> out.add(String.valueOf(v)));
        }
        return out;
    }
}
