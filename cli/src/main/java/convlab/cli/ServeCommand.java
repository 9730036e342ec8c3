package convlab.cli;

import convlab.web.WebServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.awt.Desktop;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code convlab serve}: the workbench in the browser (convolution explorer, network explorer, training dashboard, experiments). */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start the local workbench in the browser and print its address: the convolution explorer, the network "
                        + "explorer, the training dashboard (also of runs of 'convlab train --dashboard') and the experiments.",
                "Listens on 127.0.0.1 only, unless --host is given; then every request needs the access token it prints."})
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8182", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--open", description = "Open the address in the default browser.")
    boolean open;

    @Option(names = "--host", description = "Listen on this address instead of 127.0.0.1 (e.g. 0.0.0.0); requires the printed access token.")
    String host;

    @Option(names = "--reports", defaultValue = "reports",
            description = "The report folder: runs are logged in its runs/, experiments write into it; the server reads no other files (default: ${DEFAULT-VALUE}).")
    Path reports;

    @Override public Integer call() throws Exception {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be 0 to 65535, got " + port);
        WebServer server;
        try {
            server = new WebServer(host, port, reports, null, new SheetService());
        } catch (java.net.BindException e) {
            throw new IllegalArgumentException("cannot listen on port " + port + ": " + e.getMessage() + " (is another convlab serve running? try --port 0)", e);
        }
        System.out.println("convlab workbench: " + server.address());
        if (host != null) System.out.println("listening on " + host + ": the address above carries the access token; keep it private");
        System.out.println("report folder: " + server.reports() + "   (Ctrl-C stops the server)");
        System.out.flush();
        if (open) {
            try {
                if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) Desktop.getDesktop().browse(URI.create(server.address()));
                else new ProcessBuilder("xdg-open", server.address()).inheritIO().start();
            } catch (Exception e) {
                System.err.println("convlab serve: could not open a browser (" + e.getMessage() + "); open the address above yourself");
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        new CountDownLatch(1).await();
        return 0;
    }
}
