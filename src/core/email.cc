#include "core/email.h"
