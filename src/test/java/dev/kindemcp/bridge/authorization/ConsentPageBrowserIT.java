package dev.kindemcp.bridge.authorization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.BrowserSession;
import dev.kindemcp.bridge.testsupport.HeadlessChromium;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The consent page in a real headless Chromium: approve, deny, a forged CSRF token, keyboard use and the
 * phone layout, with screenshots under target/screenshots (CS-01, CS-03, CS-05).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConsentPageBrowserIT {

    /** The client's own loopback listener, as a desktop MCP client runs one. */
    static com.sun.net.httpserver.HttpServer listener;
    static final java.util.List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    static String redirect;

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.unthrottledConfig();
        return TestDeployments.bridge(config);
    }

    @BeforeAll
    static void requireChromium() throws Exception {
        if (!HeadlessChromium.available()) {
            System.out.println("=== SKIPPED: ConsentPageBrowserIT needs Debian's chromium and chromium-driver "
                    + "(apt-get install chromium chromium-driver); .ci/run installs them");
        }
        Assumptions.assumeTrue(HeadlessChromium.available(), "SKIPPED: chromium and chromedriver are not installed");
        listener = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        listener.createContext("/callback", exchange -> {
            received.add(exchange.getRequestURI().toString());
            byte[] body = "<!DOCTYPE html><title>done</title><p>You can close this window.</p>"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        listener.start();
        redirect = "http://127.0.0.1:" + listener.getAddress().getPort() + "/callback";
    }

    @org.junit.jupiter.api.AfterAll
    static void stopListener() {
        if (listener != null) {
            listener.stop(0);
        }
    }

    ChromeDriver driver;
    String clientId;

    @BeforeEach
    void setUp() {
        TestKinde.reset(KindeDemoData.ALICE_ID, KindeDemoData.ORG_ACME);
        clientId = AuthorizationFlowIT.register("Browser <b>test</b> client", "http://127.0.0.1/callback");
        driver = HeadlessChromium.start();
    }

    @AfterEach
    void tearDown() {
        if (driver != null) {
            driver.quit();
        }
    }

    private void openConsent(String name) {
        driver.get(AuthorizationFlowIT.authorizeUrl(clientId, redirect, ""));
        assertTrue(driver.getTitle().startsWith("Approve"), driver.getTitle());
        assertTrue(Files.isRegularFile(HeadlessChromium.screenshot(driver, name)));
    }

    private Map<String, String> waitForClientRedirect() {
        try {
            new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().startsWith(redirect));
        } catch (org.openqa.selenium.TimeoutException e) {
            HeadlessChromium.screenshot(driver, "stuck");
            throw new AssertionError("stuck at " + driver.getCurrentUrl() + ": " + driver.getPageSource(), e);
        }
        return BrowserSession.query(driver.getCurrentUrl());
    }

    @Test
    void consentWhenApprovedInChromiumThenCodeReachesTheClient() {
        openConsent("consent-desktop");
        String text = driver.findElement(By.tagName("main")).getText();
        assertTrue(text.contains("Browser <b>test</b> client"), "the name is shown as text, escaped: " + text);
        assertTrue(text.contains("127.0.0.1:" + listener.getAddress().getPort()), text);
        driver.findElement(By.cssSelector("button[value=approve]")).click();
        Map<String, String> response = waitForClientRedirect();
        assertTrue(response.containsKey("code"), response.toString());
        assertEquals("xyz&\"s", response.get("state"));
        assertEquals(TestDeployments.issuer(), response.get("iss"));
        assertTrue(received.stream().anyMatch(r -> r.contains("code=")), "the client's listener got the code");
    }

    @Test
    void consentWhenDeniedInChromiumThenPageThenAccessDeniedByItsLink() {
        openConsent("consent-before-deny");
        driver.findElement(By.cssSelector("button[value=deny]")).click();
        // R-RU-6: this browser never approved the client, so the denial is a page whose link goes back
        WebElement back = new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(d -> d.findElement(By.linkText("Return to the application")));
        HeadlessChromium.screenshot(driver, "consent-denied-page");
        assertTrue(driver.findElement(By.tagName("p")).getText().contains("has not been approved in this browser"),
                driver.getPageSource());
        back.click();
        assertEquals("access_denied", waitForClientRedirect().get("error"));
    }

    @Test
    void consentWhenCsrfTokenForgedInChromiumThenForbiddenPage() {
        openConsent("consent-before-forgery");
        WebElement csrf = driver.findElement(By.name("csrf_token"));
        ((JavascriptExecutor) driver).executeScript("arguments[0].value = 'forged-forged-forged-forged-forged-0001';",
                csrf);
        driver.findElement(By.cssSelector("button[value=approve]")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("/authorize/consent"));
        HeadlessChromium.screenshot(driver, "consent-forged-csrf");
        assertTrue(driver.findElement(By.tagName("h1")).getText().contains("cannot be completed"),
                driver.getPageSource());
    }

    @Test
    void consentWhenUsedWithKeyboardOnAPhoneThenReachableAndFits() {
        driver.manage().window().setSize(new Dimension(390, 844));
        openConsent("consent-phone");
        Object overflow = ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth;");
        assertEquals(Boolean.FALSE, overflow, "no horizontal scrolling on a phone");
        WebElement approve = driver.findElement(By.cssSelector("button[value=approve]"));
        assertTrue(approve.getSize().getHeight() >= 44, "touch target at least 44 px");
        driver.findElement(By.tagName("body")).sendKeys(Keys.TAB);
        assertEquals("approve", driver.switchTo().activeElement().getAttribute("value"),
                "Approve is the first stop of the keyboard");
        driver.switchTo().activeElement().sendKeys(Keys.ENTER);
        assertTrue(waitForClientRedirect().containsKey("code"));
    }
}
