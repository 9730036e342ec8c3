/**
 * Optimizers with PyTorch's update rules and names: {@code SGD}, {@code Adam}, {@code AdamW}, {@code RMSprop},
 * {@code Adagrad}, {@code SignSGD} and {@code Muon} (with {@code MuonRouting} to send non-matrix parameters to an
 * auxiliary AdamW), all extending {@code Optimizer} (zeroGrad(), step(), a learning rate per {@code ParamGroup},
 * state that can be saved). Settings are named: {@code SGD.Config}, {@code Adam.Config}, {@code Muon.Config} and the
 * like, each with PyTorch's defaults. {@code Optimizers} builds one by name, {@code LrSchedule} changes the learning
 * rate over a run, {@code UnitScaling} and {@code StepSize} are the course's unit-scaled parametrisation and
 * step-size derivations.
 */
package convlab.optim;
