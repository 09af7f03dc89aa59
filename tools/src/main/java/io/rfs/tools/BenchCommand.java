package io.rfs.tools;

import io.rfs.replication.ConsistencyLevel;
import io.rfs.replication.node.NodeContext;
import io.rfs.replication.client.RfsClient;
import io.rfs.store.FileStat;
import io.rfs.store.FileStore;
import io.rfs.tools.bench.BalancersWorkload;
import io.rfs.tools.bench.BenchReport;
import io.rfs.tools.bench.BenchResults;
import io.rfs.tools.bench.BenchSettings;
import io.rfs.tools.bench.BenchTarget;
import io.rfs.tools.bench.Bounds;
import io.rfs.tools.bench.FailoverWorkload;
import io.rfs.tools.bench.HtmlReport;
import io.rfs.tools.bench.JsonReport;
import io.rfs.tools.bench.LargeFileWorkload;
import io.rfs.tools.bench.Limit;
import io.rfs.tools.bench.LoadRunner;
import io.rfs.tools.bench.MachineLimits;
import io.rfs.tools.bench.MixedWorkload;
import io.rfs.tools.bench.NodeControl;
import io.rfs.tools.bench.OperationMix;
import io.rfs.tools.bench.RepairWorkload;
import io.rfs.tools.bench.SmallFilesWorkload;
import io.rfs.tools.bench.StopCondition;
import io.rfs.tools.bench.TableReport;
import io.rfs.tools.bench.WarmUp;
import io.rfs.tools.bench.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * {@code rfs bench}: runs workloads end to end against the embedded cluster or a running one, at one or more
 * consistency levels with N concurrent clients, and reports throughput and latency percentiles beside what this
 * machine can do (measured in the same run), as a table, JSON or an HTML page with charts.
 * <p>
 * Everything it writes is under a name prefix of its own ({@code bench/<run>/}) and deleted at the end; the space
 * the chunks took is reclaimed the way a cluster reclaims any deleted file's.
 */
@Command(
    name = "bench",
    description = {
        "Measure puts and gets end to end: large files (MiB/s), small files and a read/write mix (ops/s), the " +
            "throughput and latency before, during and after the loss of a node (failover), each read " +
            "balancer with one node slowed down (balancers, embedded cluster only), and client latency while a " +
            "node that lost its chunks is repaired, at the repair bandwidth in force and unlimited (repair).",
        "Each figure is printed with the bound this machine sets for it, measured in the same run " +
            "(SHA-256, LZ4, durable writes and fsync of the data directory, loopback TCP), and their ratio.",
    })
final class BenchCommand extends StoreCommand
{
    /** The workloads {@code rfs bench} knows, by name. */
    enum WorkloadName
    {
        /** {@link LargeFileWorkload}. */
        LARGE,
        /** {@link SmallFilesWorkload}. */
        SMALL,
        /** {@link MixedWorkload}. */
        MIXED,
        /** {@link FailoverWorkload}. */
        FAILOVER,
        /** {@link BalancersWorkload}. */
        BALANCERS,
        /** {@link RepairWorkload}. */
        REPAIR,
        /** Every one of the above. */
        ALL
    }

    /** Most concurrent clients. */
    static final int MAX_CLIENTS = 1024;
    /** Largest file of the small and mixed workloads, each client holding one in memory. */
    static final long MAX_IN_MEMORY_SIZE = 64L * 1024 * 1024;

    @Option(names = {"-w", "--workload"}, split = ",", paramLabel = "NAME",
        description = "large, small, mixed, failover, balancers, repair or all; repeatable or comma-separated " +
            "(default: large,small,mixed).")
    List<WorkloadName> workloads;

    @Option(names = {"-l", "--level"}, split = ",", paramLabel = "LEVEL",
        description = "Consistency level of every put (W) and get (R): ONE, QUORUM or ALL; repeatable or " +
            "comma-separated, e.g. --level ONE,QUORUM,ALL to run each workload at each (default: QUORUM).")
    List<ConsistencyLevel> levels;

    @Option(names = {"-c", "--clients"}, paramLabel = "N", defaultValue = "4",
        description = "Concurrent clients, each one request at a time (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = {"-d", "--duration"}, paramLabel = "TIME", converter = DurationConverter.class,
        description = "How long each timed phase runs, e.g. 500ms, 10s, 2m (default: 10s).")
    Duration duration;

    @Option(names = "--ops", paramLabel = "N",
        description = "End each timed phase after N operations (all clients together) instead of a duration.")
    Long operations;

    @Option(names = "--size", paramLabel = "SIZE", converter = ByteSizeConverter.class,
        description = "Size of the large workload's file, streamed (default: 1G).")
    Long largeSize;

    @Option(names = "--small-size", split = ",", paramLabel = "SIZE", converter = ByteSizeConverter.class,
        description = "File sizes of the small workload (default: 4K,64K).")
    List<Long> smallSizes;

    @Option(names = "--mixed-size", paramLabel = "SIZE", converter = ByteSizeConverter.class,
        description = "File size of the mixed and failover workloads (default: 64K).")
    Long mixedSize;

    @Option(names = "--files", paramLabel = "N",
        description = "How many files the mixed and failover workloads read and overwrite (default: " +
            BenchSettings.MIXED_FILES_DEFAULT + ").")
    Integer files;

    @Option(names = "--read-ratio", paramLabel = "R",
        description = "Share of reads in the mixed and failover workloads, 0 to 1 (default: " +
            BenchSettings.READ_RATIO_DEFAULT + ").")
    Double readRatio;

    @Option(names = "--kill-node", paramLabel = "ID",
        description = "The node the failover workload stops and the repair workload wipes (default: the highest id).")
    Integer killNode;

    @Option(names = "--slow-node", paramLabel = "ID",
        description = "The node the balancers workload slows down (default: the highest id).")
    Integer slowNode;

    @Option(names = "--repair-size", paramLabel = "SIZE", converter = ByteSizeConverter.class,
        description = "Data the repair workload writes before it wipes a node's chunks (default: 512M).")
    Long repairSize;

    @Option(names = "--slow-delay", paramLabel = "TIME", converter = DurationConverter.class,
        description = "How long the slow node waits before each chunk read in the balancers workload " +
            "(default: 2ms).")
    Duration slowDelay;

    @Option(names = "--limits", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "Measure the machine's limits in the same run and print each figure's ratio to its bound " +
            "(default: on; --no-limits to skip, about 10 s plus 3,000 fsyncs).")
    boolean limits;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the clients' choices and content.")
    Long seed;

    @Option(names = "--json", description = "Print the results as JSON instead of tables.")
    boolean json;

    @Option(names = "--html", paramLabel = "FILE",
        description = "Also write the results as a self-contained HTML page with charts to FILE.")
    Path html;

    @Override
    void checkArguments()
    {
        if (clients < 1 || clients > MAX_CLIENTS)
        {
            throw usageError("--clients must be 1.." + MAX_CLIENTS + ", is " + clients);
        }
        if (operations != null && duration != null)
        {
            throw usageError("give --duration or --ops, not both");
        }
        if (operations != null && operations < 1)
        {
            throw usageError("--ops must be at least 1, is " + operations);
        }
        if (readRatio != null && !(readRatio >= 0 && readRatio <= 1))
        {
            throw usageError("--read-ratio must be within 0..1, is " + readRatio);
        }
        if (files != null && files < 1)
        {
            throw usageError("--files must be at least 1, is " + files);
        }
        for (final long size : smallSizes())
        {
            checkInMemorySize("--small-size", size);
        }
        checkInMemorySize("--mixed-size", mixedSize());
        if (storeMode().resolve(dataDirectory()) == StoreMode.LOCAL)
        {
            throw usageError("bench measures a replicated store: use --store embedded or --store cluster " +
                "(this data directory holds a single-node store)");
        }
        if (slowDelay != null && slowDelay.toNanos() > NodeContext.MAX_STORAGE_CHUNK_READ_DELAY_NS)
        {
            throw usageError("--slow-delay must be at most 1s, is " + slowDelay);
        }
        if (html != null && Files.isDirectory(html))
        {
            throw usageError("--html " + html + " is a directory; give a file name");
        }
    }

    private void checkInMemorySize(final String option, final long size)
    {
        if (size > MAX_IN_MEMORY_SIZE)
        {
            throw usageError(option + " must be at most 64M (each client holds one file in memory), is " + size);
        }
    }

    @Override
    int run(final FileStore store)
    {
        throw new IllegalStateException("bench runs on the opened store and its cluster");
    }

    @Override
    int run(final OpenedStore opened) throws IOException
    {
        final Instant startedAt = Instant.now();
        final long startNs = System.nanoTime();
        final Map<String, String> host = BenchReport.hostInfo(BenchReport.loadAverage());
        final RfsClient client = (RfsClient)opened.store();
        final Set<WorkloadName> names = workloadNames();
        final NodeControl nodes = nodeControl(opened);
        if ((names.contains(WorkloadName.FAILOVER) || names.contains(WorkloadName.REPAIR)) && nodes == null)
        {
            throw usageError("the failover and repair workloads stop a node: they run on the embedded cluster or " +
                "on a cluster that rfs cluster start made in this data directory");
        }
        if (names.contains(WorkloadName.BALANCERS) && opened.cluster() == null &&
            !(workloads != null && workloads.contains(WorkloadName.BALANCERS)))
        {
            names.remove(WorkloadName.BALANCERS);
        }
        if (names.contains(WorkloadName.BALANCERS) && opened.cluster() == null)
        {
            throw usageError("the balancers workload restarts one node with " +
                NodeContext.STORAGE_CHUNK_READ_DELAY_PROP + " and opens a client per read balancer: it runs on the " +
                "embedded cluster (--store embedded)");
        }
        final BenchTarget target = new BenchTarget(client, opened.mode().name().toLowerCase(Locale.ROOT), nodes,
            new ClientClusterRepairer(client),
            opened.cluster() == null ? null : opened::newEmbeddedClient);
        final BenchSettings settings = settings();

        final List<Limit> measuredLimits = new ArrayList<>();
        if (limits)
        {
            progress("measuring the machine's limits (SHA-256, LZ4, disk, fsync, loopback TCP)");
            Files.createDirectories(dataDirectory());
            measuredLimits.addAll(new MachineLimits(dataDirectory(), target.replicationFactor()).measure());
        }
        final BenchResults results = new BenchResults();
        boolean failed = false;
        try
        {
            progress("warming up");
            WarmUp.run(target, settings);
            for (final Workload workload : workloads(names))
            {
                for (final ConsistencyLevel level : levels())
                {
                    progress(workload.name() + " at " + level);
                    try
                    {
                        workload.run(target, level, settings, results);
                    }
                    catch (final IOException | RuntimeException ex)
                    {
                        failed = true;
                        results.note(workload.name() + " at " + level + " could not run: " + ex.getMessage());
                    }
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", ex);
        }
        finally
        {
            deleteWrittenFiles(client, settings);
        }
        final Bounds bounds = new Bounds(measuredLimits, target.replicationFactor(), target.overTcp());
        results.replaceAll(bounds::apply);
        results.replaceAllRepairs(bounds::apply);
        host.put("loadAverageEnd", BenchReport.loadAverage());
        final BenchReport report = new BenchReport(startedAt, System.nanoTime() - startNs, host, target.store(),
            target.nodeCount(), target.replicationFactor(), describe(names, settings), measuredLimits, results);
        if (json)
        {
            out().println(JsonReport.toText(report));
            out().flush();
        }
        else
        {
            TableReport.print(report, out());
        }
        if (html != null)
        {
            HtmlReport.write(report, html);
            progress("wrote " + html);
        }
        return failed ? Rfs.EXIT_FAILED : Rfs.EXIT_OK;
    }

    private NodeControl nodeControl(final OpenedStore opened)
    {
        if (opened.cluster() != null)
        {
            return new EmbeddedNodeControl(opened.cluster());
        }
        return LocalClusterNodeControl.isLocal(dataDirectory()) ? new LocalClusterNodeControl(dataDirectory()) : null;
    }

    private Set<WorkloadName> workloadNames()
    {
        final Set<WorkloadName> names = new LinkedHashSet<>(
            workloads == null ? List.of(WorkloadName.LARGE, WorkloadName.SMALL, WorkloadName.MIXED) : workloads);
        if (names.remove(WorkloadName.ALL))
        {
            names.addAll(List.of(WorkloadName.LARGE, WorkloadName.SMALL, WorkloadName.MIXED, WorkloadName.FAILOVER,
                WorkloadName.BALANCERS, WorkloadName.REPAIR));
        }
        return names;
    }

    private static List<Workload> workloads(final Set<WorkloadName> names)
    {
        final List<Workload> list = new ArrayList<>();
        for (final WorkloadName name : WorkloadName.values())
        {
            if (!names.contains(name))
            {
                continue;
            }
            switch (name)
            {
                case LARGE:
                    list.add(new LargeFileWorkload());
                    break;
                case SMALL:
                    list.add(new SmallFilesWorkload());
                    break;
                case MIXED:
                    list.add(new MixedWorkload());
                    break;
                case FAILOVER:
                    list.add(new FailoverWorkload());
                    break;
                case BALANCERS:
                    list.add(new BalancersWorkload());
                    break;
                case REPAIR:
                    list.add(new RepairWorkload());
                    break;
                default:
                    break;
            }
        }
        return list;
    }

    private List<ConsistencyLevel> levels()
    {
        return levels == null ? List.of(ConsistencyLevel.QUORUM) : List.copyOf(new LinkedHashSet<>(levels));
    }

    private List<Long> smallSizes()
    {
        return smallSizes == null ? BenchSettings.SMALL_SIZES_DEFAULT : smallSizes;
    }

    private long mixedSize()
    {
        return mixedSize == null ? BenchSettings.MIXED_SIZE_DEFAULT : mixedSize;
    }

    private BenchSettings settings()
    {
        final StopCondition stop = operations != null ? StopCondition.afterOperations(operations) :
            new StopCondition((duration != null ? duration : Duration.ofSeconds(10)).toNanos(), 0);
        final long runSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        return new BenchSettings(
            clients,
            stop,
            largeSize != null ? largeSize : BenchSettings.LARGE_SIZE_DEFAULT,
            smallSizes(),
            mixedSize(),
            files != null ? files : BenchSettings.MIXED_FILES_DEFAULT,
            readRatio != null ? readRatio : BenchSettings.READ_RATIO_DEFAULT,
            killNode != null ? killNode : 0,
            slowNode != null ? slowNode : 0,
            slowDelay != null ? slowDelay.toNanos() : BenchSettings.SLOW_DELAY_NS_DEFAULT,
            repairSize != null ? repairSize : BenchSettings.REPAIR_SIZE_DEFAULT,
            "bench/" + Long.toHexString(runSeed & 0xFFFF_FFFFL) + "-" + Long.toHexString(System.nanoTime()) + "/",
            runSeed);
    }

    private Map<String, String> describe(final Set<WorkloadName> names, final BenchSettings settings)
    {
        final Map<String, String> described = new LinkedHashMap<>();
        described.put("workloads", names.stream().map(n -> n.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(",")));
        described.put("levels", levels().stream().map(Enum::name).collect(Collectors.joining(",")));
        described.put("clients", Integer.toString(settings.clients()));
        described.put("phase", settings.stop().isCounted() ? settings.stop().operations() + " ops" :
            Format.seconds(settings.stop().durationNs()));
        described.put("size", Format.bytes(settings.largeSize()));
        described.put("smallSizes", settings.smallSizes().stream().map(Format::bytes)
            .collect(Collectors.joining(",")));
        described.put("mixed", String.format(Locale.ROOT, "%d files of %s, %.0f%% reads", settings.mixedFiles(),
            Format.bytes(settings.mixedSize()), settings.readRatio() * 100));
        if (names.contains(WorkloadName.BALANCERS))
        {
            described.put("slow", (settings.slowNode() != 0 ? "node " + settings.slowNode() : "highest node") +
                ", chunk reads +" + settings.slowDelayNs() / 1000 + "us");
        }
        if (names.contains(WorkloadName.REPAIR))
        {
            described.put("repair", Format.bytes(settings.repairSize()) + " written, node " +
                (settings.killNode() != 0 ? settings.killNode() : "highest") + " wiped");
        }
        described.put("seed", Long.toString(settings.seed()));
        return described;
    }

    /**
     * Deletes every file the run wrote, with as many clients as it ran, so that a benchmark leaves no names behind.
     */
    private void deleteWrittenFiles(final RfsClient client, final BenchSettings settings)
    {
        try
        {
            final List<FileStat> written = client.list(settings.namePrefix());
            if (written.isEmpty())
            {
                return;
            }
            progress("deleting the " + written.size() + " files it wrote");
            final AtomicInteger next = new AtomicInteger();
            new LoadRunner(Math.min(settings.clients(), written.size()), settings.seed()).run(
                OperationMix.of("delete", (c, sequence, random) ->
                {
                    client.delete(written.get(next.getAndIncrement()).name());
                    return 0;
                }), StopCondition.afterOperations(written.size()), null);
        }
        catch (final IOException | InterruptedException ex)
        {
            progress("could not delete every file under " + settings.namePrefix() + ": " + ex.getMessage());
            if (ex instanceof InterruptedException)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void progress(final String message)
    {
        if (!isQuiet())
        {
            final PrintWriter err = spec.commandLine().getErr();
            err.println("rfs bench: " + message);
            err.flush();
        }
    }
}
