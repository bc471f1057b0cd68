"""What other apps may use of accounts: who may call a write API, the officers on duty with a valid 执法证 (and
the names and credential numbers the public sees), the body of a line for a region, creating an account or a
connected system (demo data), the personas, the steps of signing in that the portal's pages drive, and the type of a
signed-in page's request."""

from __future__ import annotations

from .api_auth import AUTH as AUTH
from .api_auth import allow as allow
from .requests import SignedInRequest as SignedInRequest
from .second_factor import confirmed_device as confirmed_device
from .second_factor import required_for as required_for
from .seed import PERSONAS as PERSONAS
from .selectors import credential_on as credential_on
from .selectors import credentials_on as credentials_on
from .selectors import line_body as line_body
from .selectors import officers_on_duty as officers_on_duty
from .selectors import public_officer_list as public_officer_list
from .services import LoginDelayed as LoginDelayed
from .services import LoginRefused as LoginRefused
from .services import api_client_create as api_client_create
from .services import authenticate as authenticate
from .services import second_factor_verify as second_factor_verify
from .services import signed_in as signed_in
from .services import user_create as user_create
