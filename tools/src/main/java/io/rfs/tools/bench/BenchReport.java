package io.rfs.tools.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished benchmark run: where and how it ran, the machine's limits measured beside it, and the results.
 *
 * @param startedAt  when the run started.
 * @param elapsedNs  how long the whole run took, limits included.
 * @param host       the machine: {@link #hostInfo(String)} at the start, with the load at the end added.
 * @param store      {@code embedded} or {@code cluster}.
 * @param nodes      nodes in the cluster.
 * @param replicas   N.
 * @param settings   the settings as they are printed, in order.
 * @param limits     the machine's limits, empty with {@code --no-limits}.
 * @param results    what the workloads measured.
 */
public record BenchReport(
    Instant startedAt,
    long elapsedNs,
    Map<String, String> host,
    String store,
    int nodes,
    int replicas,
    Map<String, String> settings,
    List<Limit> limits,
    BenchResults results)
{
    /** Percentiles given for every result in JSON and drawn in the HTML latency curves. */
    public static final double[] PERCENTILES = {0, 50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100};

    /**
     * @param loadAverage the load average, as {@link #loadAverage()} gives it.
     * @return processors, Java version and VM, operating system, and the load at this moment; modifiable, for the
     * load at the end.
     */
    public static Map<String, String> hostInfo(final String loadAverage)
    {
        final Map<String, String> host = new LinkedHashMap<>();
        host.put("processors", Integer.toString(Runtime.getRuntime().availableProcessors()));
        host.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")");
        host.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " +
            System.getProperty("os.arch"));
        host.put("loadAverageStart", loadAverage);
        return host;
    }

    /**
     * @return the 1, 5 and 15 minute load averages from {@code /proc/loadavg}, else the 1 minute one the JVM gives.
     */
    public static String loadAverage()
    {
        try
        {
            final String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        }
        catch (final Exception ex)
        {
            return String.format(java.util.Locale.ROOT, "%.2f",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }
}
