package io.rfs.tools.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The operations a phase of a workload makes, each with a weight: every client picks the next operation at random
 * in proportion to the weights, so a mix of 80 reads to 20 writes is a read 80% of the time.
 */
public final class OperationMix
{
    private final List<String> names = new ArrayList<>();
    private final List<Operation> operations = new ArrayList<>();
    private final List<Double> weights = new ArrayList<>();
    private double totalWeight;

    /**
     * @param name      what the operation is called in the results, e.g. {@code put 4KiB}.
     * @param weight    its share of the requests, above 0.
     * @param operation the request.
     * @return this.
     */
    public OperationMix add(final String name, final double weight, final Operation operation)
    {
        if (!(weight > 0))
        {
            throw new IllegalArgumentException("weight=" + weight + " must be above 0");
        }
        names.add(name);
        operations.add(operation);
        weights.add(weight);
        totalWeight += weight;
        return this;
    }

    /**
     * @param name      what the operation is called in the results.
     * @param operation the only request of the phase.
     * @return a mix of that operation alone.
     */
    public static OperationMix of(final String name, final Operation operation)
    {
        return new OperationMix().add(name, 1, operation);
    }

    /**
     * @return the operations' names, in the order they were added.
     */
    public List<String> names()
    {
        return Collections.unmodifiableList(names);
    }

    int size()
    {
        return operations.size();
    }

    Operation operation(final int index)
    {
        return operations.get(index);
    }

    /**
     * @param random the client's random source.
     * @return the index of the next operation.
     */
    int choose(final SplittableRandom random)
    {
        if (operations.size() == 1)
        {
            return 0;
        }
        double point = random.nextDouble() * totalWeight;
        for (int i = 0; i < weights.size() - 1; i++)
        {
            point -= weights.get(i);
            if (point < 0)
            {
                return i;
            }
        }
        return weights.size() - 1;
    }
}
