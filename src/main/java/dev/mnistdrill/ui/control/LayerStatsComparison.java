package dev.mnistdrill.ui.control;

import dev.mnistdrill.train.LayerStat;
import java.util.List;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * One run's layer statistics, and optionally another run's under them, chart under chart on the same axes: code1 (no
 * BatchNorm) over code2 (BatchNorm) shows what BatchNorm does to the layers' outputs.
 */
public final class LayerStatsComparison extends VBox {
    private final LayerStatsCharts primary = new LayerStatsCharts();
    private final LayerStatsCharts compared = new LayerStatsCharts();

    public LayerStatsComparison() {
        getStyleClass().add("layer-stats-comparison");
        setSpacing(12);
        VBox.setVgrow(primary, Priority.ALWAYS);
        VBox.setVgrow(compared, Priority.ALWAYS);
        primary.setMaxHeight(Double.MAX_VALUE);
        compared.setMaxHeight(Double.MAX_VALUE);
        getChildren().addAll(primary, compared);
        primary.setOnChange(this::sync);
        compared.setOnChange(this::sync);
        hideCompared();
    }

    /** The run on the left (the live run on the Training tab, the open run on the Runs tab). */
    public LayerStatsCharts primary() {
        return primary;
    }

    /** The run under it, when one is compared. */
    public LayerStatsCharts compared() {
        return compared;
    }

    /** Shows {@code stats} of the run {@code heading} under the first. */
    public void showCompared(List<LayerStat> stats, int epochs, String heading) {
        compared.setVisible(true);
        compared.setManaged(true);
        compared.show(stats, epochs, heading, "This run has no layer statistics (trained before they were "
                + "recorded).");
    }

    public void hideCompared() {
        compared.setVisible(false);
        compared.setManaged(false);
        compared.show(List.of(), 1, "", "");
    }

    public boolean isComparing() {
        return compared.isVisible();
    }

    /** Same axes on both sides, so that the two runs compare at a glance. */
    private void sync() {
        if (!isComparing()) {
            primary.setEpochRange(primary.plannedEpochs());
            for (LayerStatsCharts.Stat stat : LayerStatsCharts.Stat.values()) {
                primary.setValueRange(stat, null);
            }
            return;
        }
        // the same layers under the same ones: the first run's legend and titles serve both
        compared.setHeadersShown(!compared.layers().equals(primary.layers()));
        int epochs = Math.max(primary.plannedEpochs(), compared.plannedEpochs());
        primary.setEpochRange(epochs);
        compared.setEpochRange(epochs);
        for (LayerStatsCharts.Stat stat : LayerStatsCharts.Stat.values()) {
            double[] a = primary.range(stat);
            double[] b = compared.range(stat);
            double[] union = a == null ? b : b == null ? a
                    : new double[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])};
            primary.setValueRange(stat, union);
            compared.setValueRange(stat, union);
        }
    }
}
