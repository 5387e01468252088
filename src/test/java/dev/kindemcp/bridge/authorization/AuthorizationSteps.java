package dev.kindemcp.bridge.authorization;

import dev.kindemcp.bridge.testsupport.BrowserSession;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The authorization-flow steps of {@link AuthorizationFlowIT} for tests of other packages: register a public
 * client, then approve, go through Kinde (or its sign-in form) and return what the client receives.
 */
public final class AuthorizationSteps {

    private AuthorizationSteps() {
    }

    public static String register(String redirect) {
        return AuthorizationFlowIT.register("Kinde variants", redirect);
    }

    /**
     * The query the client receives at its redirect URI. With {@code formButton} set, Kinde shows its sign-in
     * form and that button ({@code cancel}) is pressed; otherwise Kinde answers at once.
     */
    public static Map<String, String> clientAnswer(BrowserSession browser, String clientId, String redirect,
            String extra, String formButton) {
        HttpResponse<String> page = browser.get(AuthorizationFlowIT.authorizeUrl(clientId, redirect, extra));
        String location;
        if (page.statusCode() == 200) {
            Map<String, String> form = new LinkedHashMap<>(BrowserSession.formFields(page.body()));
            form.put("decision", "approve");
            HttpResponse<String> approved = browser.postForm(TestDeployments.issuer() + "/authorize/consent", form,
                    "Origin", TestDeployments.issuer());
            location = approved.headers().firstValue("Location").orElseThrow();
        } else {
            location = page.headers().firstValue("Location").orElseThrow();
        }
        HttpResponse<String> atKinde = browser.get(location);
        if (formButton != null) {
            Matcher tx = Pattern.compile("name=\"tx\" value=\"([^\"]+)\"").matcher(atKinde.body());
            if (!tx.find()) {
                throw new AssertionError("no sign-in form: " + atKinde.body());
            }
            String loginUrl = location.substring(0, location.indexOf("/oauth2/auth")) + "/oauth2/auth/login";
            atKinde = browser.postForm(loginUrl, Map.of("tx", tx.group(1), formButton, "1"));
        }
        HttpResponse<String> answer = atKinde;
        HttpResponse<String> callback = browser.get(answer.headers().firstValue("Location").orElseThrow(
                () -> new AssertionError("Kinde did not redirect: " + answer.statusCode())));
        return BrowserSession.query(callback.headers().firstValue("Location").orElseThrow(
                () -> new AssertionError("the bridge did not redirect: " + callback.statusCode() + " "
                        + callback.body())));
    }
}
