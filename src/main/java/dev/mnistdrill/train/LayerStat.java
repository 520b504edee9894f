package dev.mnistdrill.train;

/**
 * How one convolution layer stood at the end of one epoch: a row of {@code layer-stats.csv}.
 *
 * @param block              the convolution's place among the network's convolutions, from 1
 * @param layer              its token in the architecture, e.g. {@code c12} or {@code t8}
 * @param preActivationMean  mean of the convolution's outputs before its ReLU, over a fixed probe batch
 * @param preActivationStd   their standard deviation
 * @param updateRatioLog10   log10(mean |update| / mean |weight|) of the convolution's weights, averaged over the
 *                           epoch's steps (DL4J's UI shows the same ratio; around -3 is the usual rule of thumb);
 *                           NaN when no step was seen
 */
public record LayerStat(int epoch, int block, String layer, double preActivationMean, double preActivationStd,
                        double updateRatioLog10) {
    public static final String CSV_HEADER = "epoch,block,layer,preactivation_mean,preactivation_std,"
            + "update_ratio_log10";

    /** Doubles in their shortest exact form: read back, every value is the one written. */
    public String toCsv() {
        return epoch + "," + block + "," + layer + "," + preActivationMean + "," + preActivationStd + ","
                + updateRatioLog10;
    }

    public static LayerStat fromCsv(String line) {
        String[] f = line.split(",");
        if (f.length < 6) {
            throw new IllegalArgumentException("layer-stats row has " + f.length + " fields, expected 6: " + line);
        }
        return new LayerStat(Integer.parseInt(f[0].trim()), Integer.parseInt(f[1].trim()), f[2].trim(),
                Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]));
    }
}
