package dev.mnistdrill.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** One mini-batch, ready for the network: NHWC features [n, 28, 28, 1], one-hot labels, and the label digits. */
public record Batch(INDArray features, INDArray labels, int[] digits) {
    public int size() {
        return digits.length;
    }

    public DataSet toDataSet() {
        return new DataSet(features, labels);
    }

    /**
     * Frees the native buffers now. ND4J otherwise frees them only once GC collects the Java objects, and a batch
     * that lived through a young collection (waiting in the prefetch queue) is collected only by a rare old-gen
     * cycle: the buffers pile up natively and the process grows far beyond its heap.
     */
    public void release() {
        for (INDArray array : new INDArray[] {features, labels}) {
            if (array != null && array.closeable()) {
                array.close();
            }
        }
    }
}
