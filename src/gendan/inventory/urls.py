from .views import ALL

app_name = "inventory"
urlpatterns = [url for entity in ALL for url in entity.urls()]
