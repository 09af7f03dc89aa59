package io.rfs.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rfs.replication.client.ClusterVerifyReport;
import io.rfs.replication.client.ReplicaProblem;
import io.rfs.replication.client.RfsClient;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/**
 * Prints {@code rfs verify} on a cluster in the manner of fsck: one line per problem as it is found (so memory stays
 * bounded whatever the number of files), then the counts, then {@code OK} or {@code N problems}. With
 * {@code --json}, one object at the end whose {@code problems} array holds the first {@value #JSON_PROBLEMS}
 * problems ({@code problemsNotListed} counts the rest).
 */
final class ClusterVerifyOutput
{
    /** Most problems listed in the JSON report. */
    static final int JSON_PROBLEMS = 10_000;

    private final PrintWriter out;
    private final boolean json;
    private final boolean quiet;
    private final ArrayNode problems = JsonNodeFactory.instance.arrayNode();
    private long notListed;

    ClusterVerifyOutput(final PrintWriter out, final boolean json, final boolean quiet)
    {
        this.out = out;
        this.json = json;
        this.quiet = quiet;
    }

    /**
     * @return {@link Rfs#EXIT_OK} if the cluster is clean, else {@link Rfs#EXIT_FAILED}.
     */
    int run(final RfsClient client, final List<String> names, final long timeoutNs) throws IOException
    {
        final ClusterVerifyReport report = client.verifyReplicas(names, timeoutNs, this::onProblem);
        if (json)
        {
            Json.print(out, toJson(report));
        }
        else
        {
            printCounts(report);
        }
        out.flush();
        return report.isClean() ? Rfs.EXIT_OK : Rfs.EXIT_FAILED;
    }

    private void onProblem(final ReplicaProblem problem)
    {
        if (json)
        {
            if (problems.size() < JSON_PROBLEMS)
            {
                final ObjectNode node = problems.addObject();
                if (problem.nodeId() > 0)
                {
                    node.put("node", problem.nodeId());
                }
                else
                {
                    node.putNull("node");
                }
                node.put("kind", problem.kind().label())
                    .put("file", problem.file())
                    .put("chunkId", problem.chunkId())
                    .put("detail", problem.detail());
            }
            else
            {
                notListed++;
            }
            return;
        }
        out.println(describe(problem));
        out.flush();
    }

    /**
     * @return e.g. {@code node 2: corrupt: chunk 3fa9... of "a/b": its copy does not hash to the chunk's id}.
     */
    static String describe(final ReplicaProblem problem)
    {
        final StringBuilder line = new StringBuilder();
        if (problem.nodeId() > 0)
        {
            line.append("node ").append(problem.nodeId()).append(": ");
        }
        line.append(problem.kind().label()).append(": ");
        if (problem.chunkId() != null)
        {
            line.append("chunk ").append(problem.chunkId()).append(" of ").append(Format.name(problem.file()))
                .append(": ");
        }
        else if (problem.file() != null)
        {
            line.append(Format.name(problem.file())).append(": ");
        }
        return line.append(problem.detail()).toString();
    }

    private void printCounts(final ClusterVerifyReport report)
    {
        if (!quiet)
        {
            out.println("files:            " + report.files());
            out.println("chunks:           " + report.chunks());
            out.println("bytes:            " + Format.bytes(report.bytes()) + " (" + report.bytes() + " bytes)");
            out.println("healthy:          " + report.healthy());
            out.println("under-replicated: " + report.underReplicated());
            out.println("lost:             " + report.lost());
            out.println("corrupt:          " + report.corrupt());
            out.println("missing:          " + report.missing());
            out.println("mis-placed:       " + report.misplaced());
            out.println("manifest issues:  " + report.manifestProblems());
            out.println("nodes unreachable: " + report.unreachable());
        }
        final long count = report.problems() + (report.problems() == 0 ? report.underReplicated() : 0);
        if (count > 0)
        {
            out.println(count == 1 ? "1 problem" : count + " problems");
        }
        else if (!quiet)
        {
            out.println("OK");
        }
    }

    private ObjectNode toJson(final ClusterVerifyReport report)
    {
        final ObjectNode node = JsonNodeFactory.instance.objectNode()
            .put("ok", report.isClean())
            .put("files", report.files())
            .put("chunks", report.chunks())
            .put("bytes", report.bytes())
            .put("healthy", report.healthy())
            .put("underReplicated", report.underReplicated())
            .put("lost", report.lost())
            .put("corrupt", report.corrupt())
            .put("missing", report.missing())
            .put("misplaced", report.misplaced())
            .put("manifestProblems", report.manifestProblems())
            .put("unreachableNodes", report.unreachable());
        node.set("problems", problems);
        node.put("problemsNotListed", notListed);
        return node;
    }
}
