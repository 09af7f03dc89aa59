package io.rfs.store.log;

/**
 * What opening a {@link SegmentLog} found and mended.
 *
 * @param segments       segment files read.
 * @param records        valid records found.
 * @param tornTailBytes  bytes of an interrupted append cut from the end of the active segment.
 * @param corruptRegions regions inside segments that held no valid record and were skipped.
 * @param corruptBytes   total bytes of those regions.
 */
public record RecoveryReport(int segments, long records, long tornTailBytes, int corruptRegions, long corruptBytes)
{
}
