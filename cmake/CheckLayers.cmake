# The layer rule, checked: a file in one layer includes only its own layer or a lower one.
#   cmake -DROOT=<tree> -P cmake/CheckLayers.cmake
# Ranks, lowest first:
#   core -> (io, autograd) -> (data, nn) -> optim -> (train, onnx) -> distributed -> study.
# onnx/ (descent::onnx, its own library) sits above nn and optim, beside train.
# Peers (io and autograd, data and nn, train and onnx) do not include each other; study/ (the pictures, pages and
# traces) may use everything, and nothing includes it. And core/kernels/ does not include the
# Tensor: kernels take pointers and sizes (docs/design.md, "Kernels"). Run by ctest as the
# `layering` test.
set(layers core io autograd data nn optim train onnx distributed study)
set(rank_core 0)
set(rank_io 1)
set(rank_autograd 1)
set(rank_data 2)
set(rank_nn 2)
set(rank_optim 3)
set(rank_train 4)
set(rank_onnx 4)
set(rank_distributed 5)
set(rank_study 6)
if(NOT ROOT)
  message(FATAL_ERROR "CheckLayers: pass -DROOT=<source tree>")
endif()
set(violations 0)
foreach(layer ${layers})
  file(GLOB_RECURSE files ${ROOT}/${layer}/*.hpp ${ROOT}/${layer}/*.cpp)
  foreach(f ${files})
    file(STRINGS ${f} includes REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<]")
    foreach(line ${includes})
      if(f MATCHES "/core/kernels/[^/]+$" AND line MATCHES "descent/core/(tensor|storage|factory)[.]hpp")
        file(RELATIVE_PATH rel ${ROOT} ${f})
        message("layering: ${rel} is a kernel and includes the Tensor; kernels take pointers and "
                "sizes (docs/design.md, Kernels): ${line}")
        math(EXPR violations "${violations} + 1")
      endif()
      if(line MATCHES "[\"<]descent/([a-z_]+)/")
        set(target ${CMAKE_MATCH_1})
        if(NOT DEFINED rank_${target})
          continue()
        endif()
        if(NOT target STREQUAL layer AND NOT rank_${target} LESS rank_${layer})
          file(RELATIVE_PATH rel ${ROOT} ${f})
          message("layering: ${rel} (layer ${layer}, rank ${rank_${layer}}) includes ${target}/ "
                  "(rank ${rank_${target}}): ${line}")
          math(EXPR violations "${violations} + 1")
        endif()
      elseif(line MATCHES "#[ \t]*include[ \t]*\"")
        file(RELATIVE_PATH rel ${ROOT} ${f})
        message("layering: ${rel} uses a relative include; write \"descent/<layer>/...\": ${line}")
        math(EXPR violations "${violations} + 1")
      endif()
    endforeach()
  endforeach()
endforeach()
if(violations GREATER 0)
  message(FATAL_ERROR "layering: ${violations} include(s) break the layer rule")
endif()
message("layering: every include points to its own or a lower layer")
