package io.rfs.tools.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The benchmark's results as one self-contained HTML file ({@code rfs bench --html FILE}): no script and nothing
 * fetched, charts drawn as inline SVG. Throughput per result beside the bound of each (so that the gap can be
 * seen), latency percentile curves (percentiles spaced by their nines, as HdrHistogram plots them, latency on a
 * log scale), the failover timelines, then the tables of the terminal report.
 */
public final class HtmlReport
{
    private static final String[] PALETTE = {
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
    private static final int WIDTH = 960;
    private static final double MIB = 1024.0 * 1024.0;

    private HtmlReport()
    {
    }

    /**
     * @param report the run.
     * @param file   the file to write, replaced if it exists.
     * @throws IOException if it cannot be written.
     */
    public static void write(final BenchReport report, final Path file) throws IOException
    {
        Files.writeString(file, html(report), StandardCharsets.UTF_8);
    }

    /**
     * @param report the run.
     * @return the whole page.
     */
    static String html(final BenchReport report)
    {
        final StringBuilder page = new StringBuilder();
        page.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .append("<title>rfs bench ").append(Svg.escape(report.startedAt().toString())).append("</title>\n")
            .append("<style>\n")
            .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1200px;color:#222}\n")
            .append(".wide{overflow-x:auto}\n")
            .append("table{border-collapse:collapse;font-size:13px;margin:1em 0}\n")
            .append("th,td{padding:3px 8px;border-bottom:1px solid #ddd;text-align:right;white-space:nowrap}\n")
            .append("th:first-child,td:first-child{text-align:left}\n")
            .append("h2{margin-top:2em;border-bottom:2px solid #4e79a7}\n.meta{color:#555}\n")
            .append("</style>\n</head>\n<body>\n");
        page.append("<h1>rfs bench</h1>\n<p class=\"meta\">")
            .append(Svg.escape(String.format(Locale.ROOT, "%s \u00b7 %s, %d nodes, N=%d \u00b7 %s processors, " +
                    "java %s \u00b7 load %s at the start, %s at the end \u00b7 %.0f s",
                report.startedAt(), report.store(), report.nodes(), report.replicas(),
                report.host().get("processors"), report.host().get("java"), report.host().get("loadAverageStart"),
                report.host().get("loadAverageEnd"), report.elapsedNs() / 1e9)))
            .append("<br>");
        report.settings().forEach((key, value) ->
            page.append(Svg.escape(key)).append(" <b>").append(Svg.escape(value)).append("</b> &nbsp; "));
        page.append("</p>\n");

        final List<OperationResult> results = report.results().results();
        page.append("<h2>Throughput</h2>\n<p>Each bar is a result, coloured by consistency level (")
            .append("<span style=\"color:").append(levelColour("ONE")).append("\">&#9632; ONE</span> ")
            .append("<span style=\"color:").append(levelColour("QUORUM")).append("\">&#9632; QUORUM</span> ")
            .append("<span style=\"color:").append(levelColour("ALL")).append("\">&#9632; ALL</span>); ")
            .append("the pale bar behind it, ending in a dark tick, is the bound this machine sets for it, measured " +
                "in the same run, and the ratio in brackets the share of it reached.</p>\n");
        page.append(throughput(results, OperationResult::byteBound, "MiB/s", MIB));
        page.append(throughput(results, r -> !r.byteBound(), "operations/s", 1));

        page.append("<h2>Latency percentiles</h2>\n<p>Latency of each operation against its percentile; " +
            "the further right, the rarer. Both axes are logarithmic.</p>\n");
        final java.util.Set<String> workloads = new java.util.LinkedHashSet<>();
        results.forEach(result -> workloads.add(result.workload()));
        for (final String workload : workloads)
        {
            final List<OperationResult> ofWorkload = results.stream()
                .filter(result -> result.workload().equals(workload)).toList();
            if (ofWorkload.stream().anyMatch(result -> result.measurement().latencyNs().getTotalCount() > 1))
            {
                page.append("<h3>").append(Svg.escape(workload)).append("</h3>\n").append(latencyCurves(ofWorkload));
            }
        }

        for (final BenchResults.TimelineResult timeline : report.results().timelines())
        {
            page.append("<h2>Timeline: ").append(Svg.escape(timeline.name())).append("</h2>\n");
            page.append(timeline(timeline));
        }

        if (!report.results().repairs().isEmpty())
        {
            page.append("<h2>Repair</h2>\n<p>What the repair copied once the stopped node was back, its rate while " +
                "copying and that rate's ratio to the durable write bandwidth of the data directory.</p>\n")
                .append(table(RepairResult.HEADER, report.results().repairs().stream().map(RepairResult::cells)
                    .toList()));
        }

        if (!report.limits().isEmpty())
        {
            page.append("<h2>Machine limits</h2>\n<table>\n<tr><th>limit</th><th>value</th></tr>\n");
            for (final Limit limit : report.limits())
            {
                page.append("<tr><td>").append(Svg.escape(limit.label())).append("</td><td>")
                    .append(Svg.escape(Figures.limit(limit))).append("</td></tr>\n");
            }
            page.append("</table>\n");
        }
        page.append("<h2>Results</h2>\n<div class=\"wide\">").append(resultTable(results)).append("</div>\n");
        if (!report.results().notes().isEmpty())
        {
            page.append("<h2>Notes</h2>\n<ul>\n");
            report.results().notes().forEach(note -> page.append("<li>").append(Svg.escape(note)).append("</li>\n"));
            page.append("</ul>\n");
        }
        return page.append("</body>\n</html>\n").toString();
    }

    private static String levelColour(final String level)
    {
        switch (level)
        {
            case "ONE":
                return PALETTE[3];
            case "ALL":
                return PALETTE[1];
            default:
                return PALETTE[0];
        }
    }

    private static String throughput(final List<OperationResult> all, final Predicate<OperationResult> which,
        final String unit, final double scale)
    {
        final List<OperationResult> results = all.stream().filter(which).toList();
        if (results.isEmpty())
        {
            return "";
        }
        final int rowHeight = 22;
        final int labelWidth = 300;
        final int chartWidth = WIDTH - labelWidth - 120;
        final int height = rowHeight * results.size() + 40;
        double max = 0;
        for (final OperationResult result : results)
        {
            max = Math.max(max, result.figure() / scale);
            if (result.bound() != null)
            {
                max = Math.max(max, result.bound().value() / scale);
            }
        }
        max = max > 0 ? max : 1;
        final Svg svg = new Svg(WIDTH, height, "throughput in " + unit);
        for (int i = 0; i < results.size(); i++)
        {
            final OperationResult result = results.get(i);
            final double y = 10 + i * rowHeight;
            svg.text(labelWidth - 8, y + 14, "end", result.label(), "");
            if (result.bound() != null)
            {
                svg.rect(labelWidth, y + 2, chartWidth * result.bound().value() / scale / max, rowHeight - 4,
                    "#dde6f0", "");
            }
            final double width = chartWidth * result.figure() / scale / max;
            svg.rect(labelWidth, y + 5, width, rowHeight - 10, levelColour(result.level()), "");
            if (result.bound() != null)
            {
                final double boundX = labelWidth + chartWidth * result.bound().value() / scale / max;
                svg.line(boundX, y + 1, boundX, y + rowHeight - 1, "#555", "stroke-width=\"2\"");
            }
            final String text = String.format(Locale.ROOT, "%.1f", result.figure() / scale) +
                (Double.isNaN(result.ratio()) ? "" : "  (" + Figures.ratio(result.ratio()) + ")") +
                (result.measurement().errors() > 0 ? "  " + result.measurement().errors() + " errors" : "");
            svg.text(labelWidth + Math.max(width, result.bound() == null ? 0 :
                chartWidth * result.bound().value() / scale / max) + 6, y + 14, "start", text, "");
        }
        final double axisY = 10 + results.size() * rowHeight + 4;
        svg.line(labelWidth, axisY, labelWidth + chartWidth, axisY, "#888", "");
        svg.text(labelWidth, axisY + 16, "start", "0", "fill=\"#555\"");
        svg.text(labelWidth + chartWidth, axisY + 16, "end",
            String.format(Locale.ROOT, "%.1f %s", max, unit), "fill=\"#555\"");
        return svg.end();
    }

    /**
     * x: the number of nines of a percentile, log10(1 / (1 - p)), from 0 (p0) to 4 (p99.99), the maximum drawn at 5;
     * y: log10 of the latency.
     */
    private static String latencyCurves(final List<OperationResult> all)
    {
        final List<OperationResult> results = new ArrayList<>();
        for (final OperationResult result : all)
        {
            if (result.measurement().latencyNs().getTotalCount() > 1)
            {
                results.add(result);
            }
        }
        if (results.isEmpty())
        {
            return "";
        }
        double minUs = Double.MAX_VALUE;
        double maxUs = 0;
        for (final OperationResult result : results)
        {
            final Histogram h = result.measurement().latencyNs();
            minUs = Math.min(minUs, Math.max(1, h.getMinValue() / 1e3));
            maxUs = Math.max(maxUs, h.getMaxValue() / 1e3);
        }
        final double lowDecade = Math.floor(Math.log10(minUs));
        final double highDecade = Math.max(lowDecade + 1, Math.ceil(Math.log10(Math.max(maxUs, 1))));
        final int legendWidth = 300;
        final int left = 70;
        final int top = 20;
        final int plotWidth = WIDTH - left - legendWidth - 20;
        final int plotHeight = 320;
        final int height = Math.max(plotHeight + 70, top + 18 * results.size() + 20);
        final Svg svg = new Svg(WIDTH, height, "latency percentile curves");
        for (double decade = lowDecade; decade <= highDecade; decade++)
        {
            final double y = top + plotHeight * (1 - (decade - lowDecade) / (highDecade - lowDecade));
            svg.line(left, y, left + plotWidth, y, "#e4e4e4", "");
            svg.text(left - 6, y + 4, "end", Figures.latency(Math.pow(10, decade) * 1e3), "fill=\"#555\"");
        }
        final String[] nines = {"p0", "p90", "p99", "p99.9", "p99.99", "max"};
        for (int n = 0; n < nines.length; n++)
        {
            final double x = left + plotWidth * n / 5.0;
            svg.line(x, top, x, top + plotHeight, "#e4e4e4", "");
            svg.text(x, top + plotHeight + 16, "middle", nines[n], "fill=\"#555\"");
        }
        svg.text(left + plotWidth / 2.0, top + plotHeight + 36, "middle", "percentile", "fill=\"#555\"");
        for (int i = 0; i < results.size(); i++)
        {
            final OperationResult result = results.get(i);
            final Histogram h = result.measurement().latencyNs();
            final double[] xs = new double[BenchReport.PERCENTILES.length];
            final double[] ys = new double[xs.length];
            for (int p = 0; p < xs.length; p++)
            {
                final double percentile = BenchReport.PERCENTILES[p];
                final double nine = percentile >= 100 ? 5 : Math.log10(100 / (100 - percentile));
                final double us = Math.max(1, (percentile == 0 ? h.getMinValue() :
                    h.getValueAtPercentile(percentile)) / 1e3);
                xs[p] = left + plotWidth * Math.min(5, nine) / 5.0;
                ys[p] = top + plotHeight * (1 - (Math.log10(us) - lowDecade) / (highDecade - lowDecade));
            }
            final String colour = PALETTE[i % PALETTE.length];
            svg.polyline(xs, ys, colour);
            final double legendY = top + 18 * i;
            svg.rect(left + plotWidth + 20, legendY, 12, 12, colour, "");
            svg.text(left + plotWidth + 38, legendY + 10, "start", result.label(), "");
        }
        return svg.end();
    }

    private static String timeline(final BenchResults.TimelineResult timeline)
    {
        final long[] counts = timeline.counts();
        final double binS = timeline.binNs() / 1e9;
        double max = 1;
        for (final long count : counts)
        {
            max = Math.max(max, count / binS);
        }
        final int left = 70;
        final int top = 20;
        final int plotWidth = WIDTH - left - 30;
        final int plotHeight = 220;
        final double totalS = counts.length * binS;
        final Svg svg = new Svg(WIDTH, plotHeight + 70, "operations per second over time: " + timeline.name());
        svg.line(left, top + plotHeight, left + plotWidth, top + plotHeight, "#888", "");
        svg.line(left, top, left, top + plotHeight, "#888", "");
        svg.text(left - 6, top + 4, "end", Figures.ops(max), "fill=\"#555\"");
        svg.text(left - 6, top + plotHeight + 4, "end", "0", "fill=\"#555\"");
        svg.text(left + plotWidth, top + plotHeight + 16, "end",
            String.format(Locale.ROOT, "%.1f s", totalS), "fill=\"#555\"");
        svg.text(left + plotWidth / 2.0, top + plotHeight + 36, "middle",
            "operations per second, all clients, every " + Figures.latency(timeline.binNs()), "fill=\"#555\"");
        final double[] xs = new double[counts.length];
        final double[] ys = new double[counts.length];
        for (int i = 0; i < counts.length; i++)
        {
            xs[i] = left + plotWidth * (i + 0.5) / counts.length;
            ys[i] = top + plotHeight * (1 - counts[i] / binS / max);
        }
        svg.polyline(xs, ys, PALETTE[0]);
        final List<Timeline.Event> events = timeline.events();
        for (int i = 0; i < events.size(); i++)
        {
            final Timeline.Event event = events.get(i);
            final double x = left + plotWidth * Math.min(1, event.atNs() / 1e9 / totalS);
            svg.line(x, top, x, top + plotHeight, PALETTE[2], "stroke-dasharray=\"4 3\"");
            svg.text(x + 4, top + 12 + 14 * i, "start", event.what(), "fill=\"" + PALETTE[2] + "\"");
        }
        return svg.end();
    }

    private static String resultTable(final List<OperationResult> results)
    {
        final List<List<String>> rows = new ArrayList<>();
        for (final OperationResult result : results)
        {
            final List<String> cells = new ArrayList<>(List.of(result.label()));
            cells.addAll(Figures.cells(result));
            rows.add(cells);
        }
        return table(List.of("result", "clients", "ops", "errors", "ops/s", "MiB/s", "p50", "p90", "p99", "p99.9",
            "max", "bound", "ratio", "target"), rows);
    }

    private static String table(final List<String> header, final List<List<String>> rows)
    {
        final StringBuilder table = new StringBuilder("<table>\n<tr>");
        header.forEach(cell -> table.append("<th>").append(Svg.escape(cell)).append("</th>"));
        table.append("</tr>\n");
        for (final List<String> row : rows)
        {
            table.append("<tr>");
            row.forEach(cell -> table.append("<td>").append(Svg.escape(cell)).append("</td>"));
            table.append("</tr>\n");
        }
        return table.append("</table>\n").toString();
    }
}
