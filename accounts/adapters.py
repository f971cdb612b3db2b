from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by the district, never by the public."""

    def is_open_for_signup(self, request):
        return False
