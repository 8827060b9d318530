package com.royalcare.scheduler.browser;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** axe-core in the page: no serious or critical WCAG violation in the state the page is in now. */
final class Axe {

    private Axe() {
    }

    static void assertNoSeriousViolations(Browser browser, String state) {
        Results results = new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"))
                .analyze(browser.driver);
        List<Rule> bad = results.getViolations().stream()
                .filter(r -> "serious".equals(r.getImpact()) || "critical".equals(r.getImpact()))
                .toList();
        String report = bad.stream()
                .map(r -> r.getImpact() + " " + r.getId() + ": " + r.getHelp() + " at "
                        + r.getNodes().stream().limit(3).map(n -> String.valueOf(n.getTarget()) + " " + n.getFailureSummary())
                        .collect(Collectors.joining(" | ")))
                .collect(Collectors.joining("\n"));
        assertThat(bad).as("axe violations in state '%s':\n%s", state, report).isEmpty();
    }
}
