package convlab;

/** The convlab version, written into model files and checkpoints (VersionTest keeps it equal to the pom's). */
public final class Version {
    private Version() {}

    public static final String STRING = "0.1.0-SNAPSHOT";
}
