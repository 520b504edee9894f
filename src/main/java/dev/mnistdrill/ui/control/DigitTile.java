package dev.mnistdrill.ui.control;

import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.StackPane;

/** A digit shown large and pixel-sharp with a caption in its corner; a toggle can swap in a second image. */
public final class DigitTile extends StackPane {
    private final ImageView view = new ImageView();
    private final Label caption = new Label();
    private Image main;
    private Image alternate;
    private boolean showAlternate;

    public DigitTile(double size) {
        getStyleClass().add("digit-tile");
        view.setFitWidth(size);
        view.setFitHeight(size);
        view.setSmooth(false);
        caption.getStyleClass().add("digit-caption");
        StackPane.setAlignment(caption, Pos.BOTTOM_RIGHT);
        getChildren().addAll(view, caption);
    }

    /** {@code alternate} (may be null) is shown instead when {@link #setShowAlternate} is on. */
    public void set(Image main, Image alternate, String text) {
        this.main = main;
        this.alternate = alternate;
        caption.setText(text);
        view.setImage(showAlternate && alternate != null ? alternate : main);
    }

    public void setShowAlternate(boolean show) {
        showAlternate = show;
        view.setImage(show && alternate != null ? alternate : main);
    }

    public Image shownImage() {
        return view.getImage();
    }

    public String caption() {
        return caption.getText();
    }
}
