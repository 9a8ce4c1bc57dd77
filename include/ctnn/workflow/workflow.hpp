// ctnn/workflow/workflow.hpp - every validation protocol: include this for splits (hold-out,
// k-fold, iterated and time-ordered, stratified), cross_validate and the redundancy check.
#pragma once

#include "ctnn/workflow/cross_validation.hpp"
#include "ctnn/workflow/redundancy.hpp"
#include "ctnn/workflow/split.hpp"
