package io.rfs.tools;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code rfs bench} end to end on the embedded cluster, with small files and short phases: what it prints, its
 * JSON, its HTML report, the failover workload, and its usage errors. Figures are never asserted, only that they
 * were measured.
 */
@Timeout(300)
class BenchCommandTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void shouldPrintATableOfEveryWorkloadAtEveryLevelAndLeaveNoFilesBehind() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir).store("embedded");
        final RfsCli.Result result = rfs.run("bench", "--no-limits", "-w", "large,small,mixed",
            "--level", "ONE,ALL", "--size", "3M", "--small-size", "4K", "--duration", "300ms", "--clients", "2",
            "--files", "8").expectExit(0);

        assertThat(result.out())
            .contains("rfs bench ", "embedded, 3 nodes, N=3")
            .containsPattern("workload +level +operation +phase +clients +ops +errors +ops/s +MiB/s +p50 +p90 +p99 " +
                "+p99.9 +max +bound +ratio +target")
            .doesNotContain("machine limits");
        for (final String level : List.of("ONE", "ALL"))
        {
            assertThat(result.out())
                .containsPattern("large +" + level + " +put 3MiB +1 +1 +0 ")
                .containsPattern("large +" + level + " +get 3MiB +1 +1 +0 ")
                .containsPattern("small +" + level + " +put 4KiB +2 +[1-9]")
                .containsPattern("small +" + level + " +get 4KiB +2 +[1-9]")
                .containsPattern("mixed +" + level + " +get 64KiB +2 ")
                .containsPattern("mixed +" + level + " +put 64KiB +2 ");
        }
        assertThat(result.stderr()).contains("rfs bench: large at ONE", "rfs bench: deleting the");
        assertThat(rfs.run("ls", "bench/").expectExit(0).out()).doesNotContain("bench/");
    }

    @Test
    void shouldPrintJsonWithEachFigureAndItsRatioToALimitMeasuredInTheSameRun() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir).store("embedded");
        final JsonNode json = JsonOutput.object(rfs.run("bench", "--json", "-q", "-w", "large,small",
            "--size", "2M", "--small-size", "4K", "--ops", "20", "--clients", "3").expectExit(0));

        assertThat(json.path("store").asText()).isEqualTo("embedded");
        assertThat(json.path("replicationFactor").asInt()).isEqualTo(3);
        assertThat(json.path("host").path("processors").asInt()).isPositive();
        assertThat(json.path("host").has("loadAverageStart")).isTrue();
        assertThat(json.path("settings").path("clients").asText()).isEqualTo("3");

        final List<String> limitKeys = new ArrayList<>();
        json.path("limits").forEach(limit ->
        {
            limitKeys.add(limit.path("key").asText());
            assertThat(limit.path("value").asDouble()).as(limit.toString()).isPositive();
        });
        assertThat(limitKeys).contains("sha256", "sha256.jdk", "lz4.compress.random", "lz4.compress.text",
            "disk.write", "disk.write.parallel", "fsync.p50", "tcp.loopback", "tcp.rtt.p50");

        final JsonNode results = json.path("results");
        assertThat(results.size()).isEqualTo(4);
        for (final JsonNode result : results)
        {
            assertThat(result.path("level").asText()).isEqualTo("QUORUM");
            assertThat(result.path("errors").asLong()).as(result.toString()).isZero();
            final JsonNode latency = result.path("latencyUs");
            assertThat(latency.path("p50").asDouble()).isPositive();
            assertThat(latency.path("p99").asDouble()).isGreaterThanOrEqualTo(latency.path("p50").asDouble());
            assertThat(latency.path("p999").asDouble()).isGreaterThanOrEqualTo(latency.path("p99").asDouble());
            assertThat(latency.path("max").asDouble()).isGreaterThanOrEqualTo(latency.path("p999").asDouble());
            assertThat(result.path("percentiles").size()).isEqualTo(11);
            assertThat(result.path("operationsPerSecond").asDouble()).isPositive();
        }
        final JsonNode largePut = find(results, "large", "put 2MiB");
        assertThat(largePut.path("operations").asLong()).isEqualTo(1);
        assertThat(largePut.path("bytes").asLong()).isEqualTo(2L * 1024 * 1024);
        assertThat(largePut.path("bound").path("unit").asText()).isEqualTo("B/s");
        assertThat(largePut.path("ratio").asDouble()).isPositive();
        final JsonNode largeGet = find(results, "large", "get 2MiB");
        assertThat(largeGet.path("bound").path("reason").asText()).contains("SHA-256");
        final JsonNode smallPut = find(results, "small", "put 4KiB");
        assertThat(smallPut.path("operations").asLong()).isEqualTo(20);
        assertThat(smallPut.path("bytes").asLong()).isEqualTo(20 * 4096);
        assertThat(smallPut.path("bound").path("unit").asText()).isEqualTo("ops/s");
        assertThat(smallPut.path("ratio").asDouble()).isPositive();
        assertThat(smallPut.path("bound").path("reason").asText()).isEqualTo("1 / fsync p50");
        assertThat(smallPut.path("bound").path("target").asDouble()).isEqualTo(0.5);
        assertThat(smallPut.path("targetMet").isBoolean()).isTrue();
        assertThat(largePut.path("bound").path("target").isNull()).as("only small files have a target").isTrue();
        assertThat(find(results, "small", "get 4KiB").path("bound").isNull())
            .as("the embedded cluster's shared memory has no measured bound").isTrue();
    }

    @Test
    void shouldWriteASelfContainedHtmlReportWithCharts() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir).store("embedded");
        final Path html = dir.resolve("report.html");
        rfs.run("bench", "--no-limits", "-q", "-w", "large,small", "--size", "2M", "--small-size", "4K",
            "--ops", "30", "--clients", "2", "--html", html.toString()).expectExit(0);

        final String page = Files.readString(html, StandardCharsets.UTF_8);
        assertThat(page).startsWith("<!DOCTYPE html>").endsWith("</html>\n")
            .contains("<h2>Throughput</h2>", "<h2>Latency percentiles</h2>", "<h2>Results</h2>",
                "small QUORUM put 4KiB");
        assertThat(page).as("nothing is fetched").doesNotContain("<script", "src=", "href=", "@import");
        final List<String> charts = svgs(page);
        assertThat(charts).hasSizeGreaterThanOrEqualTo(3);
        for (final String chart : charts)
        {
            final Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(chart.getBytes(StandardCharsets.UTF_8)));
            assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
            assertThat(svg.getElementsByTagName("text").getLength()).isPositive();
        }
        assertThat(String.join("", charts)).contains("<polyline", "<rect");
    }

    @Test
    void shouldMeasureBeforeDuringAndAfterTheLossOfANode() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir).store("embedded");
        final JsonNode json = JsonOutput.object(rfs.run("bench", "--json", "--no-limits", "-w", "failover",
            "--duration", "1s", "--clients", "2", "--files", "8", "--kill-node", "2").expectExit(0));

        final List<String> phases = new ArrayList<>();
        for (final JsonNode result : json.path("results"))
        {
            assertThat(result.path("workload").asText()).isEqualTo("failover");
            phases.add(result.path("phase").asText() + " " + result.path("operation").asText());
            if (!result.path("phase").asText().equals("during"))
            {
                assertThat(result.path("operations").asLong()).as(result.toString()).isPositive();
            }
        }
        assertThat(phases).containsExactly("before get 64KiB", "before put 64KiB", "during get 64KiB",
            "during put 64KiB", "after get 64KiB", "after put 64KiB");
        long duringQuorum = 0;
        for (final JsonNode result : json.path("results"))
        {
            if (result.path("phase").asText().equals("during"))
            {
                duringQuorum += result.path("operations").asLong();
            }
        }
        assertThat(duringQuorum).as("QUORUM is 2 of 3: requests go on with one node down").isPositive();

        final JsonNode timeline = json.path("timelines").path(0);
        assertThat(timeline.path("name").asText()).isEqualTo("failover QUORUM");
        assertThat(timeline.path("counts").size()).isPositive();
        assertThat(timeline.path("events").path(0).path("what").asText()).isEqualTo("node 2 stopped");
        assertThat(timeline.path("events").path(1).path("what").asText()).isEqualTo("node 2 started");
        assertThat(json.path("notes").toString()).as("the leader repaired after the phases")
            .contains("failover QUORUM repair, from the node's start: healthy after");
        final JsonNode repair = json.path("repairs").path(0);
        assertThat(repair.path("workload").asText()).isEqualTo("failover");
        assertThat(repair.path("level").asText()).isEqualTo("QUORUM");
        assertThat(repair.path("healthy").asBoolean()).isTrue();
        assertThat(repair.path("elapsedMs").asDouble()).isPositive();
        assertThat(repair.has("bytesPerSecond")).isTrue();
        assertThat(repair.path("bound").isNull()).as("--no-limits: nothing to compare with").isTrue();
        assertThat(repair.path("ratio").isNull()).isTrue();
    }

    @Test
    void shouldGiveTheRepairRateAsARatioToTheDurableWriteBandwidth() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir).store("embedded");
        final Path html = dir.resolve("failover.html");
        final RfsCli.Result result = rfs.run("bench", "-w", "failover", "--duration", "1s", "--clients", "2",
            "--files", "16", "--html", html.toString()).expectExit(0);

        assertThat(result.out()).contains("repairs (copy rate while copying, against the durable write bandwidth)")
            .containsPattern("workload +level +healthy +after +chunks +MiB +MiB/s copying +bound +ratio")
            .containsPattern("failover +QUORUM +yes +[0-9.]+ s +[0-9]+ +[0-9.]+ +");
        final Matcher row = Pattern.compile("failover +QUORUM +yes +[0-9.]+ s +([0-9]+) .*").matcher(result.out());
        assertThat(row.find()).isTrue();
        if (!row.group(1).equals("0"))
        {
            assertThat(row.group()).as("copies are compared with disk.write")
                .containsPattern("MiB/s \\(disk write, 1 writer\\) +[0-9.]+x$");
        }
        assertThat(Files.readString(html, StandardCharsets.UTF_8)).contains("<h2>Repair</h2>", "MiB/s copying");
    }

    @Test
    void shouldRunTheSameReadsUnderEveryBalancerWithOneNodeSlowedDown() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir).store("embedded");
        final Path html = dir.resolve("balancers.html");
        final JsonNode json = JsonOutput.object(rfs.run("bench", "--json", "--no-limits", "-w", "balancers",
            "--duration", "300ms", "--clients", "2", "--files", "8", "--slow-node", "2", "--slow-delay", "1ms",
            "--html", html.toString()).expectExit(0));

        final List<String> phases = new ArrayList<>();
        for (final JsonNode result : json.path("results"))
        {
            assertThat(result.path("workload").asText()).isEqualTo("balancers");
            assertThat(result.path("operations").asLong()).as(result.toString()).isPositive();
            assertThat(result.path("latencyUs").path("p99").asDouble()).as(result.toString()).isPositive();
            phases.add(result.path("phase").asText() + ": " + result.path("operation").asText());
        }
        final List<String> expected = new ArrayList<>();
        for (final String policy : List.of("least-outstanding", "round-robin", "weighted-round-robin",
            "least-connections", "least-response-time", "least-bandwidth", "key-hash"))
        {
            expected.addAll(List.of(policy + ": get 64KiB", policy + " mixed: get 64KiB", policy + " mixed: put 64KiB"));
        }
        assertThat(phases).containsExactlyElementsOf(expected);
        assertThat(json.path("settings").path("slow").asText()).isEqualTo("node 2, chunk reads +1000us");
        assertThat(json.path("notes").toString())
            .contains("node 2 given storage.chunk.read.delay=1000us while running")
            .contains("balancers QUORUM gets with node 2 slow: most ops/s ")
            .contains("the default is least-outstanding");
        assertThat(Files.readString(html, StandardCharsets.UTF_8))
            .contains("balancers QUORUM get 64KiB round-robin", "balancers QUORUM get 64KiB key-hash");
        assertThat(rfs.run("ls", "bench/").expectExit(0).out()).doesNotContain("bench/");
    }

    static Stream<List<String>> badArguments()
    {
        return Stream.of(
            List.of("bench", "--clients", "0"),
            List.of("bench", "--duration", "0s"),
            List.of("bench", "--duration", "5x"),
            List.of("bench", "--duration", "1s", "--ops", "5"),
            List.of("bench", "--ops", "0"),
            List.of("bench", "--read-ratio", "2"),
            List.of("bench", "--level", "SOME"),
            List.of("bench", "--workload", "huge"),
            List.of("bench", "--size", "0"),
            List.of("bench", "--small-size", "1G"),
            List.of("bench", "--files", "0"),
            List.of("bench", "--slow-delay", "2s"),
            List.of("bench", "--bogus"));
    }

    @ParameterizedTest
    @MethodSource("badArguments")
    void shouldExitTwoOnBadArguments(final List<String> args) throws Exception
    {
        final RfsCli rfs = new RfsCli(dir).store("embedded");
        final RfsCli.Result result = rfs.run(args.toArray(new String[0])).expectExit(2);
        assertThat(result.stderr()).startsWith("rfs: ");
        assertThat(result.stdout()).isEmpty();
        assertThat(rfs.data()).as("a usage error never touches the data directory").doesNotExist();
    }

    @Test
    void shouldRefuseASingleNodeStore() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir).store("local");
        assertThat(rfs.run("bench", "--no-limits").expectExit(2).stderr())
            .contains("bench measures a replicated store");
    }

    private static JsonNode find(final JsonNode results, final String workload, final String operation)
    {
        for (final JsonNode result : results)
        {
            if (result.path("workload").asText().equals(workload) &&
                result.path("operation").asText().equals(operation))
            {
                return result;
            }
        }
        throw new AssertionError("no " + workload + " " + operation + " in " + results);
    }

    private static List<String> svgs(final String page)
    {
        final List<String> svgs = new ArrayList<>();
        final Matcher matcher = Pattern.compile("<svg.*?</svg>", Pattern.DOTALL).matcher(page);
        while (matcher.find())
        {
            svgs.add(matcher.group());
        }
        return svgs;
    }
}
