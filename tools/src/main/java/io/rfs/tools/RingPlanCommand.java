package io.rfs.tools;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.rfs.replication.ring.RingPlanReport;
import io.rfs.replication.ring.RingPlanner;
import io.rfs.store.ConfigurationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code rfs ring plan}: builds a ring as the leader would and prints each node's share of the data, and with
 * {@code --add} or {@code --remove} what a membership change would move and between whom, so an operator can plan a
 * change before touching a cluster (in the spirit of swift-ring-builder). All the work is {@link RingPlanner}'s.
 */
@Command(
    name = "plan",
    description = "Print the balance of a planned ring and what adding or removing nodes would move.")
final class RingPlanCommand implements Callable<Integer>
{
    @Option(names = "--nodes", defaultValue = "10", description = "Nodes in the ring (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--vnodes", defaultValue = "256",
        description = "Virtual nodes of a standard-weight node (default ${DEFAULT-VALUE}).")
    int vnodes;

    @Option(names = "--rf", defaultValue = "3", description = "Replication factor N (default ${DEFAULT-VALUE}).")
    int replicationFactor;

    @Option(names = "--zones", defaultValue = "0",
        description = "Spread the nodes round robin over this many zones (default: no zones).")
    int zones;

    @Option(names = "--weights", split = ",", paramLabel = "W",
        description = "Relative weights, 1.0 standard: one per node, or one for all.")
    double[] weights;

    @Option(names = "--add", defaultValue = "0", description = "Plan adding this many nodes.")
    int add;

    @Option(names = "--add-weight", defaultValue = "1.0", description = "Weight of the added nodes (default 1.0).")
    double addWeight;

    @Option(names = "--remove", split = ",", paramLabel = "ID", description = "Plan removing these node ids.")
    int[] remove;

    @Option(names = "--json", description = "Print the plan as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception
    {
        final RingPlanner planner = new RingPlanner()
            .nodes(nodes)
            .vnodes(vnodes)
            .replicationFactor(replicationFactor)
            .zones(zones)
            .add(add)
            .addWeight(addWeight);
        if (weights != null)
        {
            planner.weights(weights);
        }
        if (remove != null)
        {
            planner.remove(remove);
        }
        final RingPlanReport report;
        try
        {
            report = planner.plan();
        }
        catch (final ConfigurationException ex)
        {
            throw new ParameterException(spec.commandLine(), ex.getMessage());
        }
        final PrintWriter out = spec.commandLine().getOut();
        if (json)
        {
            out.println(JsonMapper.builder().build().writerWithDefaultPrettyPrinter()
                .writeValueAsString(report.toMap()));
        }
        else
        {
            out.print(report.toText());
        }
        out.flush();
        return Rfs.EXIT_OK;
    }
}
