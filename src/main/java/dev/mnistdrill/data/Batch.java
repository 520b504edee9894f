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
}
