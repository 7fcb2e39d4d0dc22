//! Gradient checks of a module's parameters, not only of its inputs: a weight the forward pass
//! detached, or used twice with one use missed, fails here while every input check passes.
//!
//! Each float parameter `θ` in turn becomes the variable of [`gradcheck`]: the module is
//! rebuilt with `θ` replaced by the checked tensor (same id, same shape) and `loss` is
//! differentiated by autodiff and by central differences.

use super::gradcheck::{GradcheckReport, gradcheck};
use burn::module::{Module, ModuleMapper, ModuleVisitor, Param, ParamId};
use burn::prelude::Tensor;

/// Every float parameter of a module, flattened, with the path of field names leading to it.
#[derive(Default)]
struct Collect {
    path: Vec<String>,
    found: Vec<(String, ParamId, Tensor<1>)>,
}

impl ModuleVisitor for Collect {
    fn enter_module(&mut self, name: &str, _container_type: &str) {
        self.path.push(name.to_string());
    }

    fn exit_module(&mut self, _name: &str, _container_type: &str) {
        self.path.pop();
    }

    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        self.found.push((self.path.join("."), param.id, param.val().reshape([-1])));
    }
}

/// Replaces the parameter `id` by `value` reshaped to the parameter's shape.
struct Substitute {
    id: ParamId,
    value: Tensor<1>,
}

impl ModuleMapper for Substitute {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        if param.id == self.id {
            let dims = param.val().dims();
            Param::initialized(param.id, self.value.clone().reshape(dims))
        } else {
            param
        }
    }
}

/// Checks `loss(module)`'s gradient with respect to every float parameter of `module` (on an
/// autodiff device), one parameter tensor at a time, with [`gradcheck`]'s step and tolerance.
/// Returns each parameter's path (the field names, the tensor last) and report; `Err` names the
/// parameter whose gradient disagrees. Keep the module tiny: every element costs two forward
/// passes.
pub fn gradcheck_parameters<M: Module + Clone>(
    module: &M,
    loss: impl Fn(&M) -> Tensor<1>,
) -> Result<Vec<(String, GradcheckReport)>, String> {
    let mut collect = Collect::default();
    module.visit(&mut collect);
    if collect.found.is_empty() {
        return Err("the module has no float parameters".into());
    }
    collect
        .found
        .into_iter()
        .map(|(path, id, value)| {
            let with = |value: Tensor<1>| loss(&module.clone().map(&mut Substitute { id, value }));
            gradcheck(with, value).map(|report| (path.clone(), report)).map_err(|e| format!("{path}: {e}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normal;
    use burn::nn::{Linear, LinearConfig};
    use shared_backend::seeded;

    #[test]
    fn every_parameter_is_checked_and_a_detached_weight_fails() {
        let (layer, x) = seeded(1, |d| (LinearConfig::new(3, 2).init(d), normal([4, 3], d)));
        let checked = gradcheck_parameters(&layer, |l: &Linear| l.forward(x.clone()).tanh().sum()).unwrap();
        let paths: Vec<&str> = checked.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(paths, ["weight", "bias"]);
        // The same layer with its weight cut out of the graph: the input gradient is unchanged,
        // the weight's is zero by autodiff and not by finite differences.
        let detached = |l: &Linear| {
            (x.clone().matmul(l.weight.val().detach()) + l.bias.as_ref().unwrap().val().unsqueeze())
                .tanh()
                .sum()
        };
        let error = gradcheck_parameters(&layer, detached).unwrap_err();
        assert!(error.starts_with("weight:"), "{error}");
    }
}
