package dev.mnistdrill.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The shuffled, augmented batches of one training epoch, prepared ahead on a daemon thread so that augmentation
 * never stalls training. Deterministic for a seed: the shuffle and every batch's augmentation derive from
 * (seed, epoch, batch number), independent of thread timing.
 */
public final class EpochBatches implements Iterator<Batch>, AutoCloseable {
    private static final int PREFETCH = 3;
    private static final Batch END = new Batch(null, null, new int[0]);

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(PREFETCH);
    private final Thread producer;
    private final int batchCount;
    private int delivered;
    private Object next;

    public EpochBatches(MnistSplit split, int batchSize, Augmenter augmenter, long seed, int epoch) {
        int n = split.size();
        this.batchCount = (n + batchSize - 1) / batchSize;
        int[] order = shuffled(n, new SplittableRandom(mix(seed, epoch, -1)));
        producer = new Thread(() -> {
            try {
                for (int b = 0; b < batchCount; b++) {
                    int from = b * batchSize;
                    int to = Math.min(n, from + batchSize);
                    queue.put(Batches.build(split, order, from, to, augmenter,
                            new SplittableRandom(mix(seed, epoch, b))));
                }
                queue.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                queue.offer(e);
            }
        }, "batch-prefetch-epoch-" + epoch);
        producer.setDaemon(true);
        producer.start();
    }

    public int batchCount() {
        return batchCount;
    }

    static long mix(long seed, int epoch, int batch) {
        long h = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + batch * 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }

    static int[] shuffled(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        if (next instanceof RuntimeException e) {
            throw e;
        }
        return next != END;
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Batch batch = (Batch) next;
        next = null;
        delivered++;
        return batch;
    }

    public int delivered() {
        return delivered;
    }

    @Override
    public void close() {
        producer.interrupt();
    }
}
