/**
 * Files: {@code Safetensors} (read and write PyTorch's safetensors format, with a strict header parser),
 * {@code ModelFile} (a trained model as safetensors with its architecture), {@code Checkpoint} and
 * {@code CheckpointStore} (crash-safe checkpoint folders: model, optimizer and data-loader state), and the helpers
 * every writer and reader of user files goes through: {@code AtomicFiles}, {@code OutputFolders},
 * {@code UserFiles}, {@code StrictJson}, {@code UserMessages}. It stores {@code convlab.nn} and {@code convlab.data}
 * state, so it sits above them.
 */
package convlab.io;
