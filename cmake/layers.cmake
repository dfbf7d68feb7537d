# The layers of src/ and what each may use: one table, read by CMakeLists.txt (one library per
# layer, linking the layers it names) and by cmake/check_layers.cmake (which fails the build on an
# include of a layer the table does not allow). docs/architecture.md describes each folder.
#
# A layer is a folder of src/, except that src/store/sqlite/ (the SQLite backend),
# src/store/postgres/ (the PostgreSQL backend) and src/store/open/ (OpenStore: the one place
# that knows every backend) are layers of their own;
# the rest of src/store/ (the backend-neutral contract and rules) is `store`.
set(CX_LAYERS base domain io store store_sqlite store_postgres store_open service render api cli
    app)

# CX_USES_<layer>: the layers directly below it that it links. It may include those and,
# through them, everything below them.
set(CX_USES_base "")
set(CX_USES_domain base)
set(CX_USES_io domain)
set(CX_USES_store domain)
set(CX_USES_store_sqlite store)
set(CX_USES_store_postgres store)
set(CX_USES_store_open store_sqlite store_postgres)
set(CX_USES_service store io)
set(CX_USES_render service)
# The HTTP server opens one store per worker from the URL it is given (OpenStore).
set(CX_USES_api render service store_open)
set(CX_USES_cli api render service store_open)
set(CX_USES_app cli)

# cx_layer_of(VAR PATH): the layer of PATH, a path relative to src/ ("store/sqlite/db.h"), or ""
# when its first folder is no layer.
function(cx_layer_of var path)
  if(path MATCHES "^store/sqlite/")
    set(${var} store_sqlite PARENT_SCOPE)
  elseif(path MATCHES "^store/postgres/")
    set(${var} store_postgres PARENT_SCOPE)
  elseif(path MATCHES "^store/open/")
    set(${var} store_open PARENT_SCOPE)
  elseif(path MATCHES "^([a-z_]+)/")
    set(top ${CMAKE_MATCH_1})
    if(top STREQUAL "store_sqlite" OR top STREQUAL "store_postgres" OR top STREQUAL "store_open")
      set(${var} "" PARENT_SCOPE)  # the names of layers, never folders
    elseif(top IN_LIST CX_LAYERS)
      set(${var} ${top} PARENT_SCOPE)
    else()
      set(${var} "" PARENT_SCOPE)
    endif()
  else()
    set(${var} "" PARENT_SCOPE)
  endif()
endfunction()

# cx_layer_sees(VAR LAYER): LAYER and every layer below it (the closure of CX_USES_*).
function(cx_layer_sees var layer)
  set(seen ${layer})
  set(todo ${CX_USES_${layer}})
  while(todo)
    list(POP_FRONT todo l)
    if(NOT l IN_LIST seen)
      list(APPEND seen ${l})
      list(APPEND todo ${CX_USES_${l}})
    endif()
  endwhile()
  set(${var} ${seen} PARENT_SCOPE)
endfunction()
