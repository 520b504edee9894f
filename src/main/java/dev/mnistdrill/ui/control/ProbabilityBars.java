package dev.mnistdrill.ui.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * Ten horizontal bars, one per digit, with the most likely one highlighted; with a pick handler, a click on a row
 * picks its digit, which is then outlined.
 */
public final class ProbabilityBars extends VBox {
    private final List<Region> bars = new ArrayList<>();
    private final List<Label> values = new ArrayList<>();
    private final List<HBox> rows = new ArrayList<>();
    private double[] shown;
    private IntConsumer onPick;

    public ProbabilityBars() {
        getStyleClass().add("probability-bars");
        setSpacing(5);
        for (int d = 0; d < 10; d++) {
            Label digit = new Label(Integer.toString(d));
            digit.getStyleClass().add("prob-digit");
            digit.setMinWidth(18);
            Region bar = new Region();
            bar.getStyleClass().add("prob-bar");
            bar.setMaxWidth(0);
            bar.setMinWidth(0);
            StackPane track = new StackPane(bar);
            track.getStyleClass().add("prob-track");
            StackPane.setAlignment(bar, Pos.CENTER_LEFT);
            HBox.setHgrow(track, Priority.ALWAYS);
            track.setPrefWidth(220);
            final int index = d;
            track.widthProperty().addListener(o -> resize(index));
            Label value = new Label("");
            value.getStyleClass().add("prob-value");
            value.setMinWidth(56);
            value.setAlignment(Pos.CENTER_RIGHT);
            HBox row = new HBox(8, digit, track, value);
            row.setAlignment(Pos.CENTER_LEFT);
            row.getStyleClass().add("prob-row");
            row.setOnMouseClicked(e -> {
                if (onPick != null && shown != null) {
                    onPick.accept(index);
                }
            });
            bars.add(bar);
            values.add(value);
            rows.add(row);
            getChildren().add(row);
        }
    }

    /** Shows {@code p} (10 probabilities) or greys the bars out when null. */
    public void show(double[] p) {
        shown = p;
        int best = -1;
        if (p != null) {
            best = 0;
            for (int i = 1; i < 10; i++) {
                if (p[i] > p[best]) {
                    best = i;
                }
            }
        }
        for (int d = 0; d < 10; d++) {
            values.get(d).setText(p == null ? "" : String.format(Locale.ROOT, "%.1f%%", 100 * p[d]));
            rows.get(d).getStyleClass().remove("top");
            if (d == best) {
                rows.get(d).getStyleClass().add("top");
            }
            resize(d);
        }
        pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("empty"), p == null);
    }

    private void resize(int d) {
        Region track = (Region) bars.get(d).getParent();
        double w = shown == null ? 0 : Math.max(0, Math.min(1, shown[d])) * Math.max(0, track.getWidth());
        // no minimum: a bar's width must not hold its track (and the column) at the width it had
        bars.get(d).setMinWidth(0);
        bars.get(d).setPrefWidth(w);
        bars.get(d).setMaxWidth(w);
    }

    public double[] shown() {
        return shown;
    }

    /** Calls {@code handler} with a row's digit when the row is clicked (while probabilities are shown). */
    public void setOnDigitPicked(IntConsumer handler) {
        onPick = handler;
        getStyleClass().remove("pickable");
        if (handler != null) {
            getStyleClass().add("pickable");
        }
    }

    /** Outlines the row of {@code digit} (none for -1). */
    public void setPicked(int digit) {
        for (int d = 0; d < rows.size(); d++) {
            rows.get(d).getStyleClass().remove("picked");
            if (d == digit) {
                rows.get(d).getStyleClass().add("picked");
            }
        }
    }

    /** The row of {@code digit}, e.g. to click it in a test. */
    public HBox row(int digit) {
        return rows.get(digit);
    }
}
