package dev.kindemcp.bridge.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindemcp.bridge.kinde.fake.KindeDemoData;
import dev.kindemcp.bridge.testsupport.HeadlessChromium;
import dev.kindemcp.bridge.testsupport.LoginDriver;
import dev.kindemcp.bridge.testsupport.TestDeployments;
import dev.kindemcp.bridge.testsupport.TestKinde;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The connected-apps page in a real headless Chromium (issue 15.4): Bob signs in through Kinde, sees his client,
 * revokes it with the page's own button; Alice, an operator, filters by user and deletes a client; a phone
 * layout without horizontal scrolling. Screenshots under target/screenshots.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConnectedAppsBrowserIT {

    @Deployment
    static WebArchive deployment() {
        Map<String, String> config = TestDeployments.unthrottledConfig();
        config.put("bridge.operator-permission", KindeDemoData.WRITE_NOTES);
        return TestDeployments.bridge(config);
    }

    @BeforeAll
    static void requireChromium() {
        if (!HeadlessChromium.available()) {
            System.out.println("=== SKIPPED: ConnectedAppsBrowserIT needs Debian's chromium and chromium-driver");
        }
        Assumptions.assumeTrue(HeadlessChromium.available(), "SKIPPED: chromium and chromedriver are not installed");
    }

    ChromeDriver driver;

    @BeforeEach
    void start() {
        driver = HeadlessChromium.start();
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
    }

    /** The page's main text; a page replaced while it is read (a form's redirect) is read again. */
    private String main() {
        for (int attempt = 0; ; attempt++) {
            try {
                return driver.findElement(By.tagName("main")).getText();
            } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
                if (attempt == 20) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private void waitFor(String text) {
        try {
            new WebDriverWait(driver, Duration.ofSeconds(20))
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> main().contains(text));
        } catch (org.openqa.selenium.TimeoutException e) {
            HeadlessChromium.screenshot(driver, "connected-apps-stuck");
            throw new AssertionError("no '" + text + "' at " + driver.getCurrentUrl() + ": " + driver.getPageSource(), e);
        }
    }

    private void openAccountAs(String user) {
        TestKinde.reset(user, KindeDemoData.ORG_ACME);
        driver.get(TestDeployments.issuer() + "/account");
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> d.getTitle().startsWith("Connected apps"));
    }

    @Test
    void userWhenRevokingInChromiumThenTheClientLeavesThePageAndItsTokenDies() {
        ConnectedAppsIT.Granted bobs = ConnectedAppsIT.grant(KindeDemoData.BOB_ID, KindeDemoData.ORG_ACME);
        openAccountAs(KindeDemoData.BOB_ID);
        HeadlessChromium.screenshot(driver, "connected-apps");
        assertTrue(main().contains(bobs.client().clientId()), main());
        assertTrue(main().contains("token test") && main().contains("mcp:read"), main());
        WebElement card = driver.findElements(By.cssSelector("section.app")).stream()
                .filter(c -> c.getText().contains(bobs.client().clientId())).findFirst().orElseThrow();
        card.findElement(By.tagName("button")).click();
        waitFor("Access ended");
        HeadlessChromium.screenshot(driver, "connected-apps-revoked");
        assertFalse(main().contains(bobs.client().clientId()), main());
        assertEquals(400, ConnectedAppsIT.refreshStatus(bobs), "the client's refresh token is dead");
    }

    @Test
    void operatorWhenFilteringAndDeletingInChromiumThenTheClientIsGone() {
        ConnectedAppsIT.Granted bobs = ConnectedAppsIT.grant(KindeDemoData.BOB_ID, KindeDemoData.ORG_ACME);
        openAccountAs(KindeDemoData.ALICE_ID);
        driver.findElement(By.linkText("Every user's connected apps (operator)")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.getTitle().contains("every user"));
        driver.findElement(By.id("client")).sendKeys(bobs.client().clientId());
        driver.findElement(By.cssSelector("form.filter button")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("client="));
        HeadlessChromium.screenshot(driver, "connected-apps-operator");
        assertEquals(1, driver.findElements(By.cssSelector("section.app")).size(), main());
        assertTrue(main().contains(KindeDemoData.BOB_ID), main());
        driver.findElement(By.xpath("//button[contains(., 'Delete this client')]")).click();
        waitFor("The client is deleted");
        assertEquals(401, LoginDriver.token(LoginDriver.refreshForm(bobs.client(), "any")).statusCode());
    }

    @Test
    void pageWhenOnAPhoneThenFitsWithoutScrollingSideways() {
        ConnectedAppsIT.grant(KindeDemoData.BOB_ID, KindeDemoData.ORG_ACME);
        driver.manage().window().setSize(new Dimension(390, 844));
        openAccountAs(KindeDemoData.BOB_ID);
        HeadlessChromium.screenshot(driver, "connected-apps-phone");
        Object overflow = ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollWidth > document.documentElement.clientWidth;");
        assertEquals(Boolean.FALSE, overflow, "no horizontal scrolling on a phone");
        assertTrue(driver.findElement(By.cssSelector("section.app button")).getSize().getHeight() >= 44);
    }
}
