package io.rfs.tools.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's results as text tables for a terminal: the run, the machine's limits, one row per result, and
 * the notes.
 */
public final class TableReport
{
    private static final String[] HEADER = {
        "workload", "level", "operation", "phase", "clients", "ops", "errors", "ops/s", "MiB/s",
        "p50", "p90", "p99", "p99.9", "max", "bound", "ratio", "target"};
    private static final boolean[] RIGHT = {
        false, false, false, false, true, true, true, true, true, true, true, true, true, true, false, true, false};

    private TableReport()
    {
    }

    /**
     * @param report the run.
     * @param out    where to print; flushed, left open.
     */
    public static void print(final BenchReport report, final PrintWriter out)
    {
        out.printf(Locale.ROOT, "rfs bench  %s  %s, %d nodes, N=%d  %s processors  load %s -> %s  %.0f s%n",
            report.startedAt(), report.store(), report.nodes(), report.replicas(), report.host().get("processors"),
            report.host().get("loadAverageStart"), report.host().get("loadAverageEnd"), report.elapsedNs() / 1e9);
        final StringBuilder settings = new StringBuilder();
        report.settings().forEach((key, value) -> settings.append(settings.length() == 0 ? "" : "  ")
            .append(key).append(' ').append(value));
        out.println(settings);
        if (!report.limits().isEmpty())
        {
            out.println();
            out.println("machine limits (measured in this run)");
            final List<String[]> rows = new ArrayList<>();
            for (final Limit limit : report.limits())
            {
                rows.add(new String[]{"  " + limit.label(), Figures.limit(limit)});
            }
            printTable(out, new String[]{"limit", "value"}, new boolean[]{false, true}, rows);
        }
        out.println();
        final List<String[]> rows = new ArrayList<>();
        for (final OperationResult result : report.results().results())
        {
            rows.add(row(result));
        }
        printTable(out, HEADER, RIGHT, rows);
        if (!report.results().repairs().isEmpty())
        {
            out.println();
            out.println("repairs (copy rate while copying, against the durable write bandwidth)");
            final List<String[]> repairs = new ArrayList<>();
            report.results().repairs().forEach(repair -> repairs.add(repair.cells().toArray(new String[0])));
            printTable(out, RepairResult.HEADER.toArray(new String[0]),
                new boolean[]{false, false, false, true, true, true, true, false, true}, repairs);
        }
        if (!report.results().notes().isEmpty())
        {
            out.println();
            report.results().notes().forEach(note -> out.println("note: " + note));
        }
        out.flush();
    }

    private static String[] row(final OperationResult result)
    {
        final List<String> cells = new ArrayList<>(List.of(result.workload(), result.level(), result.operation(),
            result.phase() == null ? "" : result.phase()));
        cells.addAll(Figures.cells(result));
        return cells.toArray(new String[0]);
    }

    private static void printTable(final PrintWriter out, final String[] header, final boolean[] right,
        final List<String[]> rows)
    {
        final int[] widths = new int[header.length];
        for (int i = 0; i < header.length; i++)
        {
            widths[i] = header[i].length();
            for (final String[] row : rows)
            {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        printRow(out, header, widths, right);
        for (final String[] row : rows)
        {
            printRow(out, row, widths, right);
        }
    }

    private static void printRow(final PrintWriter out, final String[] cells, final int[] widths,
        final boolean[] right)
    {
        final StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++)
        {
            if (i > 0)
            {
                line.append("  ");
            }
            final String pad = " ".repeat(widths[i] - cells[i].length());
            line.append(right[i] ? pad + cells[i] : cells[i] + (i == cells.length - 1 ? "" : pad));
        }
        out.println(line.toString().stripTrailing());
    }
}
