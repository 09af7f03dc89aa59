package io.rfs.replication.repair;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RepairBandwidthTest
{
    @TempDir
    Path directory;

    private final List<Throwable> errors = new ArrayList<>();

    @Test
    void shouldTakeTheConfiguredBandwidthUntilOneIsSet() throws IOException
    {
        final RepairBandwidth bandwidth = RepairBandwidth.open(directory, 1000, errors::add);

        assertThat(bandwidth.get()).isEqualTo(1000);
        assertThat(Files.exists(directory.resolve(RepairBandwidth.FILE))).isFalse();
    }

    @Test
    void shouldKeepTheBandwidthSetAcrossAReopen() throws IOException
    {
        final RepairBandwidth bandwidth = RepairBandwidth.open(directory, 1000, errors::add);

        assertThat(bandwidth.set(5_000_000)).isTrue();
        assertThat(bandwidth.get()).isEqualTo(5_000_000);

        assertThat(RepairBandwidth.open(directory, 1000, errors::add).get()).isEqualTo(5_000_000);
        assertThat(errors).isEmpty();
    }

    @Test
    void shouldRefuseToStartOnAFileThatHoldsNoBandwidth() throws IOException
    {
        Files.createDirectories(directory.resolve("repair"));
        Files.writeString(directory.resolve(RepairBandwidth.FILE), "fast\n");

        assertThatThrownBy(() -> RepairBandwidth.open(directory, 1000, errors::add))
            .isInstanceOf(IOException.class).hasMessageContaining("\"fast\"").hasMessageContaining("delete it");
    }

    @Test
    void shouldKeepTheValueInForceAndReportWhenItCannotBeWritten() throws IOException
    {
        Files.writeString(directory.resolve("repair"), "a file where the directory should be");
        final RepairBandwidth bandwidth = RepairBandwidth.open(directory, 1000, errors::add);

        assertThat(bandwidth.set(7000)).isFalse();

        assertThat(bandwidth.get()).isEqualTo(7000);
        assertThat(errors).hasSize(1);
    }
}
