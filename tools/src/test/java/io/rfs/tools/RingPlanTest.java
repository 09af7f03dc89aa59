package io.rfs.tools;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(120)
class RingPlanTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void shouldPlanABalancedRingAndTheCostOfAddingANode() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir);
        final JsonNode plan = JsonOutput.object(
            rfs.run("ring", "plan", "--nodes", "10", "--vnodes", "256", "--rf", "3", "--add", "1", "--json")
                .expectExit(0));

        assertThat(plan.get("nodeCount").asInt()).isEqualTo(11);
        assertThat(plan.get("maxLoadOverMean").asDouble()).isBetween(1.0, 1.05);
        final double ideal = plan.get("idealFraction").asDouble();
        assertThat(ideal).isCloseTo(1.0 / 11, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(plan.get("movedFraction").asDouble()).isBetween(0.0, 1.1 * ideal);
    }

    @Test
    void shouldPrintATableAndRefuseImpossiblePlans() throws Exception
    {
        final RfsCli rfs = new RfsCli(dir);
        assertThat(rfs.run("ring", "plan", "--nodes", "5", "--zones", "3", "--remove", "2").expectExit(0).out())
            .contains("maxLoadOverMean", "change: remove [2]", "deviation");
        assertThat(rfs.run("ring", "plan", "--nodes", "0").expectExit(2).stderr()).contains("nodes=0");
        rfs.run("ring", "plan", "--weights", "heavy").expectExit(2);
        rfs.run("ring").expectExit(2);
    }
}
