package dev.mnistdrill.ui.control;

import javafx.scene.Node;
import javafx.scene.layout.StackPane;
import javafx.scene.chart.XYChart;

/**
 * Colours chart series by inline style: their line, however late JavaFX creates its node, and the point markers that
 * live series bring themselves. The charts draw their own legend, so the default per-index colour classes do not
 * matter.
 */
public final class ChartStyles {
    private ChartStyles() {
    }

    /**
     * A point marker to set on a data item <em>before</em> it joins its series: the charts create no symbols
     * themselves, and a node set later is not picked up by the chart.
     */
    public static Node marker(String color) {
        StackPane marker = new StackPane();
        marker.setStyle("-fx-background-color: " + color + ", white; -fx-background-insets: 0, 2;"
                + " -fx-background-radius: 5px; -fx-padding: 4px;");
        return marker;
    }

    /**
     * Styles the line of a series. Its points get no marker unless they bring one ({@link #marker}): the charts
     * create no symbols themselves ({@code setCreateSymbols(false)}); creating, labelling and styling ~15 symbol
     * nodes per overlay is what made ticking a run stall the FX thread for 50-110 ms.
     */
    public static void lineOnly(XYChart.Series<Number, Number> series, String color, boolean dashed, double width) {
        String line = "-fx-stroke: " + color + "; -fx-stroke-width: " + width + ";"
                + (dashed ? " -fx-stroke-dash-array: 7 5;" : "");
        styleNode(series.getNode(), line);
        series.nodeProperty().addListener((o, was, now) -> styleNode(now, line));
    }

    private static void styleNode(Node node, String style) {
        if (node != null) {
            node.setStyle(style);
        }
    }
}
