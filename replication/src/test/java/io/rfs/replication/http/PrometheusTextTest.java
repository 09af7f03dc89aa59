package io.rfs.replication.http;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTextTest
{
    @Test
    void shouldWriteFamiliesAndSamplesInTheTextFormatEscapingLabelValuesAndHelp()
    {
        final String text = new PrometheusText()
            .family("rfs_x_total", "counter", "Counts \\ things\nover lines.")
            .sample("rfs_x_total", 42)
            .family("rfs_phi", "gauge", "Phi.")
            .sample("rfs_phi", "peer", "a\"b\\c\nd", 0.5)
            .sample("rfs_phi", "peer", "2", Double.POSITIVE_INFINITY)
            .sample("rfs_phi", "peer", "3", Double.NaN)
            .toString();

        assertThat(text).isEqualTo(
            "# HELP rfs_x_total Counts \\\\ things\\nover lines.\n" +
            "# TYPE rfs_x_total counter\n" +
            "rfs_x_total 42\n" +
            "# HELP rfs_phi Phi.\n" +
            "# TYPE rfs_phi gauge\n" +
            "rfs_phi{peer=\"a\\\"b\\\\c\\nd\"} 0.500000\n" +
            "rfs_phi{peer=\"2\"} +Inf\n" +
            "rfs_phi{peer=\"3\"} NaN\n");
    }

    @Test
    void shouldTurnAnyNameIntoAValidMetricName()
    {
        assertThat(PrometheusText.metricName("CHUNKS_WRITTEN")).isEqualTo("chunks_written");
        assertThat(PrometheusText.metricName("9 lives-left")).isEqualTo("__lives_left");
        assertThat(PrometheusText.metricName("a9:b")).isEqualTo("a9:b");
    }

    @Test
    void shouldWriteAHealthReportAsJsonWithEscapedStrings()
    {
        final HealthReport report = new HealthReport(false, List.of("disk \"full\"", "tab\there"),
            new java.util.LinkedHashMap<>(Map.of("role", "LEADER")));
        assertThat(report.toJson())
            .isEqualTo("{\"status\":\"unavailable\",\"reasons\":[\"disk \\\"full\\\"\",\"tab\\u0009here\"]," +
                "\"role\":\"LEADER\"}");
        assertThat(new HealthReport(true, List.of(), Map.of("term", 3L, "up", true)).toJson())
            .startsWith("{\"status\":\"ok\",\"reasons\":[],").contains("\"term\":3", "\"up\":true");
    }

    @Test
    void shouldWriteAMapFactAsANestedJsonObject()
    {
        final java.util.LinkedHashMap<String, Object> states = new java.util.LinkedHashMap<>();
        states.put("1", "UP");
        states.put("2", "SUSPECT");
        final java.util.LinkedHashMap<String, Object> facts = new java.util.LinkedHashMap<>();
        facts.put("memberStates", states);
        facts.put("empty", Map.of());
        facts.put("term", 3L);
        assertThat(new HealthReport(true, List.of(), facts).toJson()).isEqualTo(
            "{\"status\":\"ok\",\"reasons\":[],\"memberStates\":{\"1\":\"UP\",\"2\":\"SUSPECT\"}," +
                "\"empty\":{},\"term\":3}");
    }
}
