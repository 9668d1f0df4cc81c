package org.parley.status.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.parley.status.Parley.publish;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.parley.status.Parley;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/**
 * The status board in a real headless Chromium (Debian's chromium and chromedriver, never downloaded):
 * the seed story PRK–USA, a live change without reload, a past state, screenshots under target/.
 */
@QuarkusTest
class BoardPageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHROMIUM = System.getenv().getOrDefault("PARLEY_CHROMIUM", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getenv().getOrDefault("PARLEY_CHROMEDRIVER", "/usr/bin/chromedriver");

    static KafkaCompanion kafka;
    static WebDriver browser;
    static ChromeDriverService driverService;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute(),
                "no browser to test the board with: " + CHROMIUM + " and " + CHROMEDRIVER + " are needed (Debian packages"
                        + " chromium and chromium-driver; bin/test installs them with apt-get where it can)");
        kafka = Parley.companion();
        List<ObjectNode> seed = new ArrayList<>();
        for (var node : JSON.readTree(Path.of("../seed/prk-usa-2025.json").toFile())) {
            ObjectNode statement = (ObjectNode) node;
            statement.put("recordedAt", Instant.parse(statement.get("occurredAt").asText()).plusSeconds(1).toString());
            seed.add(statement);
        }
        publish(kafka, seed);

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync",
                "--window-size=1280,1000");
        driverService = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        browser = new ChromeDriver(driverService, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (driverService != null) {
            driverService.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + RestAssured.port + "/";
    }

    private static WebElement byId(String id) {
        return browser.findElement(By.id(id));
    }

    private static String rowStatus(String id) {
        var rows = browser.findElements(By.cssSelector("tr[data-id='" + id + "']"));
        return rows.isEmpty() ? null : rows.get(0).getAttribute("data-status");
    }

    /** The height-bearing count of one month's bar of the trend. */
    private static int barCount(String month, String kind) {
        return Integer.parseInt(browser.findElement(By.cssSelector(
                "#trend-chart g[data-month='" + month + "'] rect[data-kind='" + kind + "']")).getAttribute("data-count"));
    }

    private static void chooseStatus(String status) {
        ((JavascriptExecutor) browser).executeScript(
                "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'));",
                byId("filter-status"), status);
    }

    private static void screenshot(String name) throws Exception {
        File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void theBoardShowsPrkUsaLiveAndInThePast() throws Exception {
        // The seed is folded first (the page would show it live anyway; this keeps the first check simple).
        await().atMost(Duration.ofSeconds(60)).until(() -> RestAssured.get("/relationships/PRK/USA").statusCode() == 200
                && RestAssured.get("/relationships/PRK/USA").jsonPath().getInt("eventCount") == 6);

        browser.get(base());
        await().atMost(Duration.ofSeconds(20)).ignoreException(StaleElementReferenceException.class)
                .until(() -> "NO_RESPONSE".equals(rowStatus("PRK-USA")));
        assertThat(byId("live").getAttribute("data-state")).isEqualTo("live");
        // Keyboard: the row's link is focusable and opens the detail.
        WebElement link = browser.findElement(By.cssSelector("tr[data-id='PRK-USA'] a"));
        link.sendKeys(org.openqa.selenium.Keys.ENTER);
        await().atMost(Duration.ofSeconds(20)).until(() -> byId("detail-title").getText().equals("PRK – USA"));
        await().atMost(Duration.ofSeconds(20)).until(() -> byId("timeline").findElements(By.tagName("li")).size() == 6);
        assertThat(byId("detail-badge").getAttribute("data-status")).isEqualTo("NO_RESPONSE");
        assertThat(byId("detail-words").getText()).isEqualTo("PRK has not responded to USA's invitation.");
        assertThat(byId("detail-awaiting").getText()).matches("PRK silent for \\d+ days \\(since 2025-10-27\\)");
        assertThat(byId("detail-invitation").getText()).contains("USA → PRK").contains("Sanctions relief");
        assertThat(byId("positions").getText()).contains("Recognition of North Korea as a nuclear weapons state")
                .contains("stated 2×");
        // The trend: coded statements per month from July to October, conditions conflictual, invitations
        // cooperative, NO_RESPONSE not coded; October's direction improved on September's.
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElements(By.cssSelector("#trend-chart g[data-month]")).size() == 4);
        assertThat(barCount("2025-07", "conflictual")).isEqualTo(1);
        assertThat(barCount("2025-08", "conflictual") + barCount("2025-08", "cooperative")).isZero();
        assertThat(barCount("2025-10", "cooperative")).isEqualTo(2);
        assertThat(barCount("2025-10", "conflictual")).isZero();
        assertThat(browser.findElement(By.cssSelector("#trend-chart g[data-month='2025-10']")).getAttribute("data-direction"))
                .isEqualTo("improved");
        assertThat(byId("trend-caption").getText()).contains("2 cooperative").contains("2 conflictual");
        // The awaited party's silence in days at each month's end: PRK, silent since 27 October, 4 days on the
        // 31st; nobody was awaited in July (conditions without an invitation).
        await().atMost(Duration.ofSeconds(20)).until(() -> !browser.findElements(By.cssSelector("#trend-chart polyline.silence")).isEmpty());
        WebElement october = browser.findElement(By.cssSelector("#trend-chart g[data-month='2025-10']"));
        assertThat(october.getAttribute("data-silence-days")).isEqualTo("4");
        assertThat(october.getAttribute("data-awaited")).isEqualTo("PRK");
        assertThat(browser.findElement(By.cssSelector("#trend-chart g[data-month='2025-07']")).getAttribute("data-silence-days"))
                .isEqualTo("0");
        assertThat(browser.findElements(By.cssSelector("#trend-chart g[data-silence-days]"))).hasSize(4);
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView();", byId("trend"));
        screenshot("board-prk-usa-trend.png");
        // Why: each field links to the statements behind it. PRK is awaited because of the invitation of the
        // 27th and the first report of its silence (the second changed nothing).
        browser.findElement(By.cssSelector("dt[data-why='awaiting'] button.why-link")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> byId("why").getAttribute("open") != null
                && !browser.findElements(By.cssSelector("#why-awaiting[open] li[data-event-id]")).isEmpty());
        assertThat(browser.findElements(By.cssSelector("#why-awaiting li[data-event-id]")))
                .extracting(li -> li.getAttribute("data-event-id"))
                .containsExactly("5e1d0c2a-7c1b-4f3e-8a10-000000000004", "5e1d0c2a-7c1b-4f3e-8a10-000000000005");
        assertThat(byId("why-awaiting").getText()).contains("INVITATION ISSUED by USA (Donald Trump)");
        assertThat(browser.findElement(By.cssSelector("#why-status .rule")).getAttribute("textContent"))
                .startsWith("Rule: NO_RESPONSE from the invitee of an open invitation");
        assertThat(browser.findElements(By.cssSelector("[id^='why-condition-PRK-']"))).hasSize(3);
        screenshot("board-prk-usa-why.png");
        // Filters: party PRK keeps PRK-USA, status ACCEPTED hides it.
        byId("filter-party").sendKeys("prk");
        assertThat(browser.findElements(By.cssSelector("#rows tr"))).allSatisfy(
                row -> assertThat(row.getAttribute("data-id")).contains("PRK"));
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0);");
        screenshot("board-prk-usa.png");
        chooseStatus("ACCEPTED");
        assertThat(rowStatus("PRK-USA")).isNull();
        chooseStatus("NO_RESPONSE");
        assertThat(rowStatus("PRK-USA")).isEqualTo("NO_RESPONSE");
        chooseStatus("");

        // A statement posted now changes the page without a reload: first a correction (struck through)...
        ((JavascriptExecutor) browser).executeScript("window.parleyNoReload = 42;");
        ObjectNode retraction = Parley.statement("STATEMENT_RETRACTED", "PRK", "USA", Instant.parse("2025-11-01T00:00:00Z"));
        retraction.put("retracts", "5e1d0c2a-7c1b-4f3e-8a10-000000000002");
        publish(kafka, retraction);
        await().atMost(Duration.ofSeconds(30)).until(() -> !byId("timeline")
                .findElements(By.cssSelector("li[data-event-id='5e1d0c2a-7c1b-4f3e-8a10-000000000002'] del")).isEmpty());
        // ...then PRK answers with conditions: the status moves, in the list and in the detail.
        publish(kafka, Parley.list(Parley.statement("CONDITIONS_REITERATED", "PRK", "USA",
                Instant.parse("2025-11-02T00:00:00Z")), "conditions", "Recognition of North Korea as a nuclear weapons state"));
        // The list is redrawn on every change: an element found just before a redraw goes stale, and is found again.
        await().atMost(Duration.ofSeconds(30)).ignoreException(StaleElementReferenceException.class)
                .until(() -> "CONDITIONS_SET".equals(rowStatus("PRK-USA"))
                && "CONDITIONS_SET".equals(byId("detail-badge").getAttribute("data-status")));
        assertThat(byId("detail-awaiting").getText()).isEqualTo("USA is to respond");
        // the open "why" follows the live state: the status now rests on PRK's conditions
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElement(By.cssSelector("#why-status .rule"))
                .getAttribute("textContent").startsWith("Rule: CONDITIONS_REITERATED by the invitee"));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.parleyNoReload;")).isEqualTo(42L);
        screenshot("board-prk-usa-live.png");

        // The past: as of 25 October 2025 the invitation of the 24th was open and unanswered.
        WebElement date = byId("asof-date");
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = '2025-10-25';", date);
        browser.findElement(By.cssSelector("#asof button[type='submit']")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> "INVITATION_OPEN".equals(byId("detail-badge").getAttribute("data-status")));
        assertThat(byId("asof-note").isDisplayed()).isTrue();
        assertThat(byId("detail-awaiting").getText()).isEqualTo("PRK silent for 1 day (since 2025-10-24)");
        // what had occurred by then, and the correction (corrections always apply)
        assertThat(byId("timeline").findElements(By.tagName("li"))).hasSize(4);
        screenshot("board-prk-usa-2025-10-25.png");

        // Phone width: the page still reads (one column, no horizontal scroll).
        browser.manage().window().setSize(new Dimension(390, 844));
        byId("asof-live").click();
        await().atMost(Duration.ofSeconds(20)).until(() -> "CONDITIONS_SET".equals(byId("detail-badge").getAttribute("data-status")));
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0);");
        screenshot("board-phone.png");
        Object overflow = ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(((Number) overflow).intValue()).isLessThanOrEqualTo(0);
    }
}
